{#- The last select of a mart an analyst filters by market: every column of `cte` plus the report's
    market key and display name (seeds/markets.csv), so a dashboard's market filter works on every mart
    without each model repeating the two joins. -#}
{% macro select_with_market(cte='final', report_id='report_id') %}
select
    {{ cte }}.*,
    market_reports.market as market_key,
    market_names.market_name

from {{ cte }}
left join {{ ref('stg_reports__reports') }} as market_reports
    on {{ cte }}.{{ report_id }} = market_reports.report_id
left join {{ ref('stg_reports__markets') }} as market_names
    on market_reports.market = market_names.market
{% endmacro %}
