-- Q7. Which 2020 codes are not printed the same way in 2024, and where did they go?
--
-- Answer (dbt build of both documents; amounts in 万元):
--   15 of the 35 distinct 2020 (code, name) pairs are not printed the same way in 2024: five
--   moved or merged out of the dissolved 款 20110, three renamed, one renumbered, one printing
--   error, and five with no 2024 line (kept as their own subjects, relation unknown).
--
--   reported_code | reported_name          | subject_code | subject_name                       | relation       | basis
--   --------------+------------------------+--------------+------------------------------------+----------------+-------------------------------
--   2011001       | 人力资源事务-行政运行  | 2080101      | 行政运行                           | merged         | official catalogue
--   2011099       | 其他人力资源和管理事务 | 2080199      | 其他人力资源和社会保障管理事务支出 | merged         | official catalogue
--   2011005       | 自助留学回国人员       | 2080114      | 资助留学回国人员                   | moved          | official catalogue
--   2011008       | 引进人才费用           | 2080116      | 引进人才费用                       | moved          | official catalogue
--   2011050       | 事业运行               | 2080150      | 事业运行                           | moved          | official catalogue
--   2080199       | 其他福利支出           | 2081099      | 其他社会福利支出                   | printing_error | same activity in the documents
--   2080112       | 劳动争议调解仲裁       | 2080112      | 劳动人事争议调解仲裁               | renamed        | official catalogue
--   2080713       | 求职创业补贴           | 2080713      | 促进创业补贴                       | renamed        | official catalogue
--   2130804       | 创业担保贷款贴息       | 2130804      | 创业担保贷款贴息及奖补             | renamed        | official catalogue
--   2089901       | 其他社会保障和就业支出 | 2089999      | 其他社会保障和就业支出             | renumbered     | name only
--   2060599       | 其他科技条件与服务支出 | 2060599      | 其他科技条件与服务支出             | unknown        | name only
--   2080107       | 社会保险业务管理事务   | 2080107      | 社会保险业务管理事务               | unknown        | name only
--   2080108       | 信息化建设             | 2080108      | 信息化建设                         | unknown        | name only
--   2080599       | 其他行政事业离退休     | 2080599      | 其他行政事业单位离退休支出         | unknown        | name only
--   2080899       | 其他优抚支出           | 2080899      | 其他优抚支出                       | unknown        | name only
with

subject_map as (

    select * from {{ ref('map_subject_code') }}

),

final as (

    select
        reported_code,
        reported_name,
        subject_code,
        subject_name,
        relation,
        basis
    from subject_map
    where fiscal_year = 2020
        and relation <> 'same'

)

select * from final
order by relation, reported_code
