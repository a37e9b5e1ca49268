{#- One row per report, split dimension, region and year that has at least one reported share: the
    shares' sum and how many of the listed segments have a reported or a derived share. The GX suite
    `shares` checks these rows (a complete split sums to 100, a partial one never exceeds it). -#}
with

splits as (

    {{ split_marts_union(['report_id', 'region_key', 'market_year', 'segment_key', 'share_basis', 'share_pct']) }}

),

final as (

    select
        report_id,
        dimension,
        region_key,
        market_year,
        -- typed, so both engines give the same types (a sum of integers is HUGEINT on DuckDB)
        cast(sum(case when share_basis = 'reported' then share_pct end) as {{ type_double() }}) as share_sum,
        cast(count(*) as integer) as segment_count,
        cast(sum(case when share_basis = 'reported' then 1 else 0 end) as integer) as reported_count,
        cast(sum(case when share_basis = 'derived' then 1 else 0 end) as integer) as derived_count,
        {{ listagg(
            "case when share_basis = 'reported' then segment_key || '=' || " ~ number_text('share_pct') ~ " end",
            "', '",
            "order by segment_key"
        ) }} as reported_shares
    from splits
    group by report_id, dimension, region_key, market_year
    having sum(case when share_basis = 'reported' then 1 else 0 end) > 0

)

select * from final
