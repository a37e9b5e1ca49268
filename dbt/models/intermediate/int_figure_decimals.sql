-- The decimals each stated figure was printed with (dbt/macros/display.sql): in the unit the marts
-- serve it in (value_decimals, what a derived value's precision is taken from) and in the unit it was
-- stated in (stated_decimals, what figure_sources shows). "US$ 3081.66 million" entered as usd_bn: 5
-- and 2; "2.5 million tons" entered as tons: -5 and -5.
with

figures as (

    select * from {{ ref('int_figures_normalized') }}

),

final as (

    select
        figure_id,
        report_id,
        {{ printed_decimals('value', 'value_as_published') }} as value_decimals,
        {{ printed_decimals('value_as_stated', 'value_as_published') }} as stated_decimals

    from figures

)

select * from final
