with

source as (

    select * from {{ source('xiamen', 'three_public_costs') }}

),

final as (

    select
        document_id,
        table_id,
        row_order,
        source_line,
        raw_text,
        {{ wan('total') }} as total_wan,
        {{ wan('outbound_travel') }} as outbound_travel_wan,
        {{ wan('vehicle_subtotal') }} as vehicle_subtotal_wan,
        {{ wan('vehicle_purchase') }} as vehicle_purchase_wan,
        {{ wan('vehicle_operation') }} as vehicle_operation_wan,
        {{ wan('official_reception') }} as official_reception_wan
    from source

)

select * from final
