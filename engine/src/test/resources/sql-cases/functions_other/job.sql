-- COALESCE, NULLIF, IF, JSON_VALUE, JSON_EXTRACT, HEADER (NULL for file records).
SELECT id,
       COALESCE(a, b, 0) AS first_non_null, NULLIF(a, b) AS null_if_equal,
       IF(b > 4, 'big', 'small') AS size,
       JSON_VALUE(doc, '$.user.name') AS name, JSON_VALUE(doc, '$.user.tags[1]') AS second_tag,
       JSON_VALUE(doc, '$.amount') AS amount_text, JSON_EXTRACT(doc, '$.user') AS user_json,
       JSON_VALUE(doc, '$.missing') AS missing,
       HEADER('trace-id') AS trace, COALESCE(HEADER('trace-id'), 'none') AS trace_or_none
FROM o
WITH ('o.type' = 'file_source', 'o.path' = 'data/o.json');
