"""The analysts' front door: a Streamlit app on the published warehouse (`chanye ui`).

    main.py        the entry point `streamlit run` starts: navigation, the warehouse status
    pages/*.py     one script per page: overview, region, targets, compare, conflicts, search,
                   corrections, data quality
    queries.py     the read side the pages, the CLI export and the tests share (no Streamlit)
    display.py     Chinese labels, numbers in 亿元/万元/亩/家, evidence with the number highlighted
    export.py      any table view as .xlsx (evidence, URL and document columns) or CSV
    widgets.py     what several pages draw: the region picker, fact tables, charts, downloads
    serve.py       `chanye ui`: streamlit run on 127.0.0.1, offline, no telemetry

The app opens the published warehouse read-only (warehouse.connect_analyst) and opens it again
when a new build is published; it never writes the warehouse: corrections go to their own store
(chanye.corrections) and apply from the next build on.
"""
