-- The editions of each report series in the order their documents give (validation/editions.py states
-- the same rule for the validator): a publication date is a stretch of days at its printed precision
-- (2024-10 is 1 to 31 October); of two editions, the one whose stretch ends before the other's begins
-- is the older; where the stretches overlap or a date is not printed, the declared edition_sequence
-- orders them (the newer has the larger number). The validator refuses a series this cannot order, so
-- an edition's number is one more than the editions before it. The newest active edition speaks for the
-- series; an older one is superseded, never deleted. A withdrawn report is no edition in the order.
-- Each edition gets a name for chart legends that no other edition shares (report_label), so a chart
-- grouping by it never adds two editions' or two reports' values together.

with

reports as (

    select * from {{ ref('stg_reports__reports') }}

),

dated as (

    select
        report_id,
        series_id,
        publisher_label,
        edition,
        date_published_printed,
        date_published_precision,
        edition_sequence,
        cast(
            case date_published_precision
                when 'year' then {{ dbt.concat(['date_published_printed', "'-01-01'"]) }}
                when 'month' then {{ dbt.concat(['date_published_printed', "'-01'"]) }}
                else date_published_printed
            end as date
        ) as published_first

    from reports
    where report_status = 'active'

),

stretches as (

    select
        dated.*,
        case dated.date_published_precision
            when 'year' then cast({{ dbt.concat(['dated.date_published_printed', "'-12-31'"]) }} as date)
            when 'month' then cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'dated.published_first')) }} as date)
            else dated.published_first
        end as published_last

    from dated

),

-- each pair of editions of a series where `earlier` comes before `later`
precedes as (

    select
        later.report_id,
        earlier.report_id as earlier_report_id

    from stretches as later
    inner join stretches as earlier
        on later.series_id = earlier.series_id
        and later.report_id <> earlier.report_id
    where
        case
            when earlier.published_last < later.published_first then true
            when later.published_last < earlier.published_first then false
            else earlier.edition_sequence < later.edition_sequence
        end

),

editions_before as (

    select
        report_id,
        count(*) as earlier_count

    from precedes
    group by report_id

),

numbered as (

    select
        stretches.*,
        coalesce(editions_before.earlier_count, 0) + 1 as edition_number,
        count(*) over (partition by stretches.series_id) as edition_count

    from stretches
    left join editions_before
        on stretches.report_id = editions_before.report_id

),

-- as of a date, the current edition is the newest one certainly out by then: an edition takes over on
-- the last day its printed date can mean (31 October for 2024-10), and never before an older one did
taking_over as (

    select
        numbered.*,
        max(numbered.published_last) over (
            partition by numbered.series_id
            order by numbered.edition_number
            rows between unbounded preceding and current row
        ) as current_from

    from numbered

),

-- what tells two editions apart when a publisher repeats its label: the edition label (where one is
-- printed), then the printed publication date where it says more than the label
name_parts as (

    select
        taking_over.*,
        case
            when coalesce(taking_over.edition, '') = '' then ''
            else {{ dbt.concat(["' · '", 'taking_over.edition']) }}
        end as edition_part,
        case
            when taking_over.date_published_printed is null or taking_over.date_published_printed = taking_over.edition then ''
            else {{ dbt.concat(["' · published '", 'taking_over.date_published_printed']) }}
        end as published_part

    from taking_over

),

named as (

    select
        name_parts.*,
        {{ dbt.concat(['name_parts.publisher_label', 'name_parts.edition_part', 'name_parts.published_part']) }} as edition_name

    from name_parts

),

-- where even that is shared (two undated editions with one label, or two series with one label and
-- date), the report_id makes it unique
uniquely_named as (

    select
        named.*,
        case
            when count(*) over (partition by named.edition_name) > 1
                then {{ dbt.concat(['named.edition_name', "' · '", 'named.report_id']) }}
            else named.edition_name
        end as unique_name

    from named

),

-- a superseded edition says so in its name
labelled as (

    select
        uniquely_named.*,
        case
            when uniquely_named.edition_number = uniquely_named.edition_count then uniquely_named.unique_name
            else {{ dbt.concat(['uniquely_named.unique_name', "' (superseded)'"]) }}
        end as report_label

    from uniquely_named

),

final as (

    select
        editions.report_id,
        editions.series_id,
        editions.edition,
        editions.date_published_printed,
        editions.date_published_precision,
        editions.edition_sequence,
        editions.published_first,
        editions.published_last,
        editions.edition_number,
        editions.edition_count,
        editions.edition_number = editions.edition_count as is_current_edition,
        case when editions.edition_number = editions.edition_count then 'current' else 'superseded' end as edition_status,
        newer.report_id as superseded_by_report_id,
        editions.current_from,
        newer.current_from as current_until,
        editions.report_label

    from labelled as editions
    left join labelled as newer
        on editions.series_id = newer.series_id
        and newer.edition_number = editions.edition_number + 1

)

select * from final
