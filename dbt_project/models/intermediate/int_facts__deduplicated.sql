{{ rows_of_canonical_documents(ref('stg_lake__facts'), 'fact_id') }}
