-- Q5. Where do the documents not add up, and by how much?
--
-- Answer (dbt build of both documents; amounts in 万元):
--   Every identity of both documents holds except 21 rounding differences of 0.01–0.02 万元,
--   all in 2024 and all documented in seeds/quality/known_source_findings.csv (e.g. 21011
--   行政事业单位医疗 printed 649.88 while its 项 add to 649.89). 2020 adds up exactly
--   (items 1–35 + transfers = 78,046.06).
--
--   fiscal_year | identity_key                                 | expected_wan | actual_wan | difference_wan | status        | source_line
--   ------------+----------------------------------------------+--------------+------------+----------------+---------------+------------
--   2024        | 附件2:children_sum:403:current_subtotal      | 159318.40    | 159318.39  | -0.01          | known_finding | 976
--   2024        | 附件2:children_sum:403:general_public_budget | 156161.40    | 156161.39  | -0.01          | known_finding | 976
--   2024        | 附件2:children_sum:403:total                 | 159318.40    | 159318.39  | -0.01          | known_finding | 976
--   2024        | 附件3:children_sum:20801:fiscal_basic        | 13426.66     | 13426.65   | -0.01          | known_finding | 1078
--   2024        | 附件3:children_sum:20801:fiscal_subtotal     | 55829.02     | 55829.01   | -0.01          | known_finding | 1078
--   2024        | 附件3:children_sum:20801:total               | 58986.02     | 58986.01   | -0.01          | known_finding | 1078
--   2024        | 附件3:children_sum:21011:fiscal_basic        | 649.88       | 649.89     | 0.01           | known_finding | 1153
--   2024        | 附件3:children_sum:21011:fiscal_subtotal     | 649.88       | 649.89     | 0.01           | known_finding | 1153
--   2024        | 附件3:children_sum:21011:total               | 649.88       | 649.89     | 0.01           | known_finding | 1153
--   2024        | 附件5:children_sum:20801:basic_subtotal      | 13426.66     | 13426.65   | -0.01          | known_finding | 1269
--   2024        | 附件5:children_sum:20801:total               | 55829.02     | 55829.01   | -0.01          | known_finding | 1269
--   2024        | 附件5:children_sum:21011:basic_personnel     | 649.88       | 649.89     | 0.01           | known_finding | 1332
--   2024        | 附件5:children_sum:21011:basic_subtotal      | 649.88       | 649.89     | 0.01           | known_finding | 1332
--   2024        | 附件5:children_sum:21011:total               | 649.88       | 649.89     | 0.01           | known_finding | 1332
--   2024        | 附件5:row:2080101:basic_subtotal             | 3036.64      | 3036.65    | 0.01           | known_finding | 1271
--   2024        | 附件6:children_sum:301:personnel             | 12241.47     | 12241.49   | 0.02           | known_finding | 1364
--   2024        | 附件6:children_sum:301:total                 | 12241.47     | 12241.49   | 0.02           | known_finding | 1364
--   2024        | 附件6:children_sum:302:public                | 3454.41      | 3454.42    | 0.01           | known_finding | 1388
--   2024        | 附件6:children_sum:302:total                 | 3454.41      | 3454.42    | 0.01           | known_finding | 1388
--   2024        | 附件6:children_sum:303:personnel             | 1471.50      | 1471.48    | -0.02          | known_finding | 1427
--   2024        | 附件6:children_sum:303:total                 | 1471.50      | 1471.48    | -0.02          | known_finding | 1427
with

reconciliation as (

    select * from {{ ref('fct_reconciliation') }}

),

final as (

    select
        fiscal_year,
        identity_key,
        expected_wan,
        actual_wan,
        difference_wan,
        status,
        source_line
    from reconciliation
    where status <> 'ok'

)

select * from final
order by fiscal_year, identity_key
