{#- The consensus of estimates, written once for market_consensus (today) and market_consensus_history
    (as of each publication date): `members` is a relation or CTE with one row per counted estimate and
    the columns `group_columns` (the comparison key and as_of_date), value, value_kind, is_forecast,
    estimate_vintage, qualifier, publisher_label, report_id, estimate_dated_on, estimate_dated_from,
    conversion_note (how an estimate in another currency was converted, else null),
    value_decimals and the key's words (market_name, metric_name, region_name, unit_name, quantity, currency). One row per group: the number of publishers (a series counts once, through the
    edition the members hold), reported and derived counts, mean, median (portably: the middle value or
    the mean of the two middle values, by rank; `median` is not every engine's), low and high with who
    holds each, sample standard deviation and coefficient of variation, the oldest and newest estimate's
    date and age at as_of_date, and how many are forecasts. -#}
{% macro consensus_statistics(members, group_columns) -%}
    {%- set holder = dbt.concat(["ranked.publisher_label", "' ('", "ranked.report_id", "')'"]) -%}
    select
        {{ column_list(group_columns, 'ranked') }},
        count(*) as publisher_count,
        count(case when ranked.value_kind = 'reported' then 1 end) as reported_count,
        count(case when ranked.value_kind = 'derived' then 1 end) as derived_count,
        count(case when ranked.is_forecast then 1 end) as forecast_count,
        avg(ranked.value) as mean_value,
        -- the middle rank (odd count) or the two middle ranks (even count): 2 x rank lies within n..n+2
        avg(case when 2 * ranked.value_rank between ranked.estimate_count and ranked.estimate_count + 2 then ranked.value end)
            as median_value,
        min(ranked.value) as low_value,
        {{ dbt.listagg("case when ranked.value = ranked.group_low then " ~ holder ~ " end", "'; '", "order by ranked.report_id") }}
            as low_held_by,
        max(ranked.value) as high_value,
        {{ dbt.listagg("case when ranked.value = ranked.group_high then " ~ holder ~ " end", "'; '", "order by ranked.report_id") }}
            as high_held_by,
        stddev_samp(ranked.value) as stddev_value,
        stddev_samp(ranked.value) / nullif(avg(ranked.value), 0) * 100 as coefficient_of_variation_pct,
        min(ranked.estimate_dated_on) as oldest_estimate_on,
        max(ranked.estimate_dated_on) as newest_estimate_on,
        case
            when min(ranked.estimate_dated_from) = max(ranked.estimate_dated_from) then min(ranked.estimate_dated_from)
            when min(ranked.estimate_dated_from) is not null then 'base year and publication date'
        end as estimate_dates_from,
        count(case when ranked.estimate_dated_on is null then 1 end) as undated_count,
        {{ dbt.listagg("ranked.report_id", "','", "order by ranked.report_id") }} as report_ids,
        {{ dbt.listagg(
            dbt.concat([
                holder, "'='",
                "case when ranked.qualifier = '' then '' else " ~ dbt.concat(["ranked.qualifier", "' '"]) ~ " end",
                number_text("ranked.value"),
                "' ('", "ranked.value_kind", "', '", "ranked.estimate_vintage",
                "coalesce(" ~ dbt.concat(["'; '", "ranked.conversion_note"]) ~ ", '')", "')'",
            ]),
            "'; '", "order by ranked.report_id") }} as estimates,
        -- shown with the decimals of the coarsest estimate
        min(ranked.value_decimals) as value_decimals,
        -- the key's words, the same in every row of it
        min(ranked.market_name) as market_name,
        min(ranked.metric_name) as metric_name,
        min(ranked.region_name) as region_name,
        min(ranked.unit_name) as unit_name,
        min(ranked.quantity) as quantity,
        min(ranked.currency) as currency
    from (
        select
            {{ members }}.*,
            row_number() over (
                partition by {{ column_list(group_columns, members) }} order by {{ members }}.value, {{ members }}.report_id
            ) as value_rank,
            count(*) over (partition by {{ column_list(group_columns, members) }}) as estimate_count,
            min({{ members }}.value) over (partition by {{ column_list(group_columns, members) }}) as group_low,
            max({{ members }}.value) over (partition by {{ column_list(group_columns, members) }}) as group_high
        from {{ members }}
    ) as ranked
    group by
        {{ column_list(group_columns, 'ranked') }}
{%- endmacro %}

{#- The columns every consensus row is keyed by: what is compared (market, metric, dimension, segment,
    geography, year, unit), as market_estimates_compared compares. -#}
{% macro consensus_key() -%}
    {{ return(['market_key', 'metric', 'dimension', 'segment_key', 'region_key', 'figure_year', 'unit_key']) }}
{%- endmacro %}

{#- The join condition of an estimate `other` of the same market, dimension, segment and year as the row
    `row` in another geography or unit, of the same metric or of another level of its series (a value
    beside a volume of the market): what is set beside a comparison and not compared with it
    (market_estimates_compared.not_compared_with, market_consensus_excluded). `kind` is the relation
    holding the row's metric_kind and metric_series. -#}
{% macro another_scope_of(row, kind, other) -%}
    {{ row }}.market_key = {{ other }}.market_key
        and {{ row }}.dimension = {{ other }}.dimension
        and {{ row }}.segment_key = {{ other }}.segment_key
        and {{ row }}.figure_year = {{ other }}.figure_year
        and ({{ row }}.region_key <> {{ other }}.region_key or {{ row }}.unit_key <> {{ other }}.unit_key)
        -- the same metric, or two levels of one series (a value and a volume of the market)
        and (
            {{ row }}.metric = {{ other }}.metric
            or (
                {{ kind }}.metric_kind = 'level'
                and {{ other }}.metric_kind = 'level'
                and {{ kind }}.metric_series = {{ other }}.metric_series
            )
        )
{%- endmacro %}
