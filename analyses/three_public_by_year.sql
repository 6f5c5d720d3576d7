-- Q4. 三公经费 by year and category (财政拨款预算, 万元).
--
-- Answer (dbt build of both documents; amounts in 万元):
--   三公 fell from 37.63 to 27.96 万元 (−25.7%); no travel abroad or vehicle purchase budgeted
--   in either year.
--
--   fiscal_year | total_wan | outbound_travel_wan | official_reception_wan | vehicle_purchase_wan | vehicle_operation_wan
--   ------------+-----------+---------------------+------------------------+----------------------+----------------------
--   2020        | 37.63     | 0.00                | 22.59                  | 0.00                 | 15.04
--   2024        | 27.96     | 0.00                | 16.54                  | 0.00                 | 11.42
with

three_public as (

    select * from {{ ref('fct_three_public') }}

),

final as (

    select
        fiscal_year,
        sum(amount_wan) as total_wan,
        sum(amount_wan) filter (where cost_category = 'outbound_travel') as outbound_travel_wan,
        sum(amount_wan) filter (where cost_category = 'official_reception') as official_reception_wan,
        sum(amount_wan) filter (where cost_category = 'vehicle_purchase') as vehicle_purchase_wan,
        sum(amount_wan) filter (where cost_category = 'vehicle_operation') as vehicle_operation_wan
    from three_public
    group by fiscal_year

)

select * from final
order by fiscal_year
