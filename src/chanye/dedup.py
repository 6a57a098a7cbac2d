"""Near-duplicate documents (the same story syndicated with other page furniture).

MinHash over character 5-gram shingles of the clean text, banded LSH to find candidates, then
the signatures' agreement (an estimate of the Jaccard similarity) decides: >= THRESHOLD is a copy.
Exact copies already share a document_id (content-addressed), so only near copies are marked here.

Canonical copy: the earliest published, then earliest ingested, then smallest document_id, among
the documents of a run. The lake is append-only, so a document already committed stays canonical:
a new copy of it is marked duplicate_of it (or of its own canonical), whatever its date.

    sign_batch(documents, part, run_id, lake_root)  the extract task: a staged batch's signatures
                                                    and LSH band keys, in pending `signatures/`
    mark_run_duplicates(run_id)  the dedupe task: the run's verdicts against each other and the
                                 committed lake, in pending `minhash/` (its duplicate_of column is
                                 the record the warehouse reads; documents are not rewritten)

Signatures: pure numpy (no per-shingle Python calls), ~2M chars/s on one core, computed per batch
in the extract task. Matching: DuckDB pairs the run's band keys with each other and with the
committed ones read from Parquet, so memory stays within DuckDB's limit however large the lake
grows.
"""
from __future__ import annotations

import logging
import re
import shutil
import unicodedata
from datetime import date, datetime, timezone

import duckdb
import numpy as np
import pyarrow as pa

from chanye import lake
from chanye.config import settings
from chanye.schemas import MINHASH, MINHASH_PERMUTATIONS

log = logging.getLogger(__name__)

SHINGLE = 5  # characters; Chinese words are 1-4 characters, so 5-grams span word boundaries
NUM_PERM = MINHASH_PERMUTATIONS
BANDS, ROWS = 32, 4  # a pair at Jaccard 0.8 agrees on a band with p = 0.8**4 = 0.41
THRESHOLD = 0.8
# Recurring items (an annual ceremony, a yearly call for press accreditation) reuse last year's
# wording almost verbatim; syndication happens within days. Copies further apart are not copies.
MAX_DAYS_APART = 30
EMPTY = np.uint32(0xFFFFFFFF)  # the signature of a text without shingles: never matches
_CHUNK = 4096  # shingles per block, so a long document does not make a huge (n, NUM_PERM) matrix
_NOT_WORD = re.compile(r"[\W_]+")
_rng = np.random.default_rng(20260101)  # fixed seed: signatures must be stable across runs
_A = _rng.integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) * np.uint64(2) + np.uint64(1)  # odd
_B = _rng.integers(0, 2**63, size=NUM_PERM, dtype=np.uint64)


# ---------------------------------------------------------------- signatures

def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads the polynomial hash's bits (uint64 arithmetic wraps)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def normalize(text: str) -> str:
    """Only letters and digits, width-folded: punctuation and spacing differ between sites."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the distinct character shingles of the normalised text."""
    chars = np.frombuffer(normalize(text).encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    if chars.size == 0:
        return np.empty(0, dtype=np.uint64)
    k = min(SHINGLE, chars.size)  # a text shorter than a shingle is one shingle
    n = chars.size - k + 1
    h = np.zeros(n, dtype=np.uint64)
    for i in range(k):
        h = h * np.uint64(1_000_003) + chars[i : i + n]
    return np.unique(_mix64(h) >> np.uint64(32))


def signature(text: str) -> np.ndarray:
    """MinHash signature: per permutation (a*x + b) mod 2**64 >> 32 (multiply-add-shift hashing)."""
    x = shingle_hashes(text)
    if x.size == 0:
        return np.full(NUM_PERM, EMPTY, dtype=np.uint32)
    lowest = np.full(NUM_PERM, np.iinfo(np.uint64).max, dtype=np.uint64)
    for start in range(0, x.size, _CHUNK):
        values = x[start : start + _CHUNK, None] * _A
        values += _B
        np.minimum(lowest, values.min(axis=0), out=lowest)
    return (lowest >> np.uint64(32)).astype(np.uint32)  # the shift is monotonic: once, after the min


def signatures(texts: list[str]) -> np.ndarray:
    return np.stack([signature(t) for t in texts]) if texts else np.empty((0, NUM_PERM), dtype=np.uint32)


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """(n, BANDS) uint64: one hash per band of ROWS signature values, salted with the band's
    number so equal values in different bands do not make a candidate."""
    bands = sigs[:, : BANDS * ROWS].reshape(len(sigs), BANDS, ROWS).astype(np.uint64)
    key = np.broadcast_to(np.arange(BANDS, dtype=np.uint64), bands.shape[:2]).copy()
    for r in range(ROWS):
        key = _mix64(key ^ bands[:, :, r])
    return key


# ---------------------------------------------------------------- the lake's minhash rows

def minhash_rows(ids: list[str], published: list, sigs: np.ndarray, duplicate_of: list | None = None) -> pa.Table:
    """Rows of the lake's minhash dataset (schemas.MINHASH). A text without shingles gets no band
    keys: it can be no one's copy."""
    sigs = np.ascontiguousarray(sigs, dtype=np.uint32)
    keys = band_keys(sigs)
    signed = (sigs != EMPTY).any(axis=1)
    lengths = np.where(signed, BANDS, 0)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    bands = pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pa.array(keys[signed].reshape(-1), pa.uint64()))
    columns = [
        pa.array(ids, pa.string()),
        pa.array(duplicate_of or [None] * len(ids), pa.string()),
        pa.array(published, pa.date32()),
        pa.FixedSizeListArray.from_arrays(pa.array(sigs.reshape(-1), pa.uint32()), NUM_PERM),
        bands.cast(MINHASH.field("bands").type),
    ]
    return pa.Table.from_arrays(columns, schema=MINHASH)


# ---------------------------------------------------------------- matching, in DuckDB

# Relations the queries expect on the connection:
#   run_signatures(document_id, published, signature, bands, seq)  one row per document row of the
#       run; seq orders them (a document_id that arrived twice, same bytes, counts once: its first)
#   run_ingested(document_id, ingested_at)  the run's documents
#   committed(document_id, duplicate_of, published, signature, bands)  the lake's minhash rows
# Built for a million documents within DuckDB's memory limit (it spills to disk): documents are
# numbered (rid) so band keys and pairs are integers; only keys two documents share are paired;
# a pair must share MIN_SHARED_BANDS bands (a real copy shares ~13 of 32, while text that only
# shares a lead paragraph, like a reworded follow-up, shares one now and then); and only those
# pairs' signatures are compared.
MIN_SHARED_BANDS = 2  # P(a pair at Jaccard 0.8 shares fewer) = P(Binomial(32, 0.8**4) < 2) < 2e-6
_SETUP = """
create or replace temp table first_rows as
    select document_id, arg_min(published, seq) as published, min(seq) as seq,
           (row_number() over (order by min(seq)))::integer as rid
    from run_signatures group by document_id;
create or replace temp view first_signatures as
    select f.rid, s.document_id, s.published, s.signature, s.bands
    from run_signatures s join first_rows f on f.document_id = s.document_id and f.seq = s.seq;
create or replace temp table new_rids as
    select rid from first_rows where document_id not in (select document_id from committed);
create or replace temp table run_keys as
    select rid, unnest(bands) as k from first_signatures;
create or replace temp table shared_keys as
    select rid, k from run_keys where k in (select k from run_keys group by k having count(*) > 1);
create or replace temp table run_pairs as
    select a.rid as q, b.rid as r from shared_keys a join shared_keys b using (k)
    where a.rid < b.rid group by all having count(*) >= {min_bands};
create or replace temp table known_pairs as
    select n.rid as q, c.document_id as r
    from (select * from run_keys where rid in (select rid from new_rids)) n
    join (select document_id, unnest(bands) as k from committed) c using (k)
    group by all having count(*) >= {min_bands};
create or replace temp table pair_sigs as
    select rid, published, signature from first_signatures
    where rid in (select q from run_pairs union select r from run_pairs union select q from known_pairs);
"""
_CLOSE = "(a.published is null or b.published is null or abs(date_diff('day', a.published, b.published)) <= {days})"
_SAME = "len(list_filter(range(1, {perm} + 1), lambda i: a.signature[i] = b.signature[i])) / {perm}"
_SIMILAR_IN_RUN = f"""
select fq.document_id, fr.document_id
from run_pairs p join pair_sigs a on a.rid = p.q join pair_sigs b on b.rid = p.r
join first_rows fq on fq.rid = p.q join first_rows fr on fr.rid = p.r
where {_SAME} >= {{threshold}} and {_CLOSE}
"""
_SIMILAR_COMMITTED = f"""
with b as (select document_id, any_value(coalesce(duplicate_of, document_id)) as canonical,
                  any_value(published) as published, any_value(signature) as signature
           from committed where document_id in (select r from known_pairs) group by document_id)
select fq.document_id, b.document_id, b.canonical, {_SAME} as similarity
from known_pairs p join pair_sigs a on a.rid = p.q join b on b.document_id = p.r
join first_rows fq on fq.rid = p.q
where similarity >= {{threshold}} and {_CLOSE}
"""


def find_canonicals(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """duplicate_of for the run's documents that are copies or were committed before (every other
    run document is its own canonical). Committed documents keep their verdict and stay canonical;
    within the run the rule order (_rule_key) decides. Only documents in a match reach Python."""
    con.execute(_SETUP.format(min_bands=MIN_SHARED_BANDS))
    params = {"perm": NUM_PERM, "threshold": THRESHOLD, "days": MAX_DAYS_APART}
    committed_before = dict(con.execute(
        "select document_id, any_value(coalesce(duplicate_of, document_id)) from committed "
        "where document_id in (select document_id from first_rows) group by document_id"
    ).fetchall())
    partners: dict[str, list[str]] = {}
    for q, r in con.execute(_SIMILAR_IN_RUN.format(**params)).fetchall():
        partners.setdefault(q, []).append(r)
        partners.setdefault(r, []).append(q)
    copy_of: dict[str, tuple[float, str, str]] = {}  # the most similar committed document, then smallest id
    for q, r, canonical, similarity in con.execute(_SIMILAR_COMMITTED.format(**params)).fetchall():
        if q not in copy_of or (-similarity, r) < (-copy_of[q][0], copy_of[q][1]):
            copy_of[q] = (similarity, r, canonical)
    involved = sorted(set(committed_before) | set(copy_of) | set(partners))
    keys = {doc_id: (published, ingested_at, doc_id) for doc_id, published, ingested_at in con.execute(
        "select f.document_id, f.published, min(i.ingested_at) from first_rows f "
        "join run_ingested i using (document_id) where f.document_id in (select unnest($ids)) "
        "group by f.document_id, f.published", {"ids": involved}).fetchall()}
    order = sorted(involved, key=lambda doc_id: _rule_key(*keys[doc_id]))
    rank = {doc_id: n for n, doc_id in enumerate(order)}
    resolved: dict[str, str] = {}
    for doc_id in order:
        earlier = [r for r in partners.get(doc_id, []) if rank[r] < rank[doc_id]]
        resolved[doc_id] = (
            committed_before.get(doc_id)  # the same bytes were committed before: keep their verdict
            or (copy_of[doc_id][2] if doc_id in copy_of else None)  # committed documents stay canonical
            or (resolved[min(earlier, key=rank.__getitem__)] if earlier else doc_id)
        )
    return {doc_id: (None if canon == doc_id else canon) for doc_id, canon in resolved.items()}


def rows_to_commit(con: duckdb.DuckDBPyConnection, canon: dict[str, str | None]) -> pa.RecordBatchReader:
    """minhash rows of the run's documents not committed before, with their verdict (streamed)."""
    con.register("verdicts", pa.table({"document_id": list(canon), "verdict": list(canon.values())}, schema=_VERDICT))
    return con.sql(
        "select s.document_id, v.verdict as duplicate_of, s.published, s.signature, s.bands "
        "from first_signatures s left join verdicts v using (document_id) "
        "where s.rid in (select rid from new_rids)"
    ).to_arrow_reader(50_000)  # batches of rows, not the whole run


_VERDICT = pa.schema([pa.field("document_id", pa.string()), pa.field("verdict", pa.string())])


def _rule_key(published: date | None, ingested_at: datetime | None, document_id: str) -> tuple:
    """Earliest published, then earliest ingested, then smallest id; unknown dates sort last."""
    far = datetime.max.replace(tzinfo=timezone.utc)
    return (published or date.max, ingested_at or far, document_id)


# ---------------------------------------------------------------- the protocol, in the run's pending area

def sign_batch(documents: pa.Table, part: str, run_id: str, lake_root: str) -> str:
    """MinHash signatures and LSH band keys of a staged batch, in pending `signatures/`."""
    sigs = signatures(documents["text"].to_pylist())
    rows = minhash_rows(documents["document_id"].to_pylist(), documents["published"].to_pylist(), sigs)
    return lake.write_table(rows, lake.pending_file(lake_root, run_id, "signatures", part))


def mark_run_duplicates(run_id: str) -> dict:
    """Decide which of the run's documents are near copies (of each other or of committed
    documents) and put the run's new minhash rows, with their verdict, in pending `minhash/`.
    DuckDB joins the band keys from Parquet (memory bounded by CHANYE_DUCKDB_MEMORY, spilling to
    CHANYE_DATA_DIR/spill); recomputed from scratch, so a retry gives the same."""
    from chanye.warehouse import connect

    s = settings()
    document_files = lake.pending_files(s.lake, run_id, "documents")
    signature_files = lake.pending_files(s.lake, run_id, "signatures")
    unsigned = sorted({lake.stem(f) for f in document_files} - {lake.stem(f) for f in signature_files})
    if unsigned:
        raise RuntimeError(f"run {run_id}: batches {unsigned} have no signatures (their extract task has not run)")
    spill = s.data_dir / "spill" / lake.run_key(run_id)  # local disk, wherever the lake is
    with connect(spill_dir=spill) as con:
        lake.register_filesystem(con, s.lake)
        con.read_parquet(signature_files, filename=True, file_row_number=True).select(
            "document_id, published, signature, bands, {'file': filename, 'row': file_row_number} as seq"
        ).create_view("run_signatures")
        con.read_parquet(document_files).select("document_id, ingested_at").create_view("run_ingested")
        con.read_parquet(lake.dataset_files(s.lake, "minhash")).create_view("committed")
        canon = find_canonicals(con)
        (documents,), = con.execute("select count(*) from first_rows").fetchall()
        lake.write_batches(rows_to_commit(con, canon), "minhash", lake.pending_file(s.lake, run_id, "minhash", "signatures"))
    shutil.rmtree(spill, ignore_errors=True)
    marked = sum(d is not None for d in canon.values())
    log.info("dedupe: %d documents, %d near duplicates", documents, marked)
    return {"documents": documents, "near_duplicates": marked}

