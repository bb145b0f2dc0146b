"""Tests of the local ClickHouse HTTP server over chDB (chserver.py).

Run from the project root:
    python3 -m unittest discover -s deploy/local/clickhouse -p 'test_*.py'

The tests start their own servers on free ports with temporary data
directories. libchdb.so comes from $TOCSIN_CHDB_LIB or from install.sh (which
downloads the pinned npm package once into .local/chdb).
"""

import gzip
import http.client
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid
from urllib.parse import urlencode

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import chserver  # noqa: E402

ENGINE_VERSION = "26.7.2.1"
_LIB = None


def chdb_lib():
    global _LIB
    if _LIB is None:
        lib = os.environ.get("TOCSIN_CHDB_LIB")
        if not lib:
            out = subprocess.run([os.path.join(HERE, "install.sh")], check=True,
                                 stdout=subprocess.PIPE, text=True, timeout=1800).stdout
            lib = out.strip().splitlines()[-1]
        if not os.path.isfile(lib):
            raise RuntimeError("libchdb.so not found: %s" % lib)
        _LIB = lib
    return _LIB


class ServerProcess:
    """chserver.py in a subprocess on a free port."""

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.proc = None
        self.port = None
        self.log_path = os.path.join(os.path.dirname(data_dir.rstrip("/")),
                                     os.path.basename(data_dir.rstrip("/")) + ".log")

    def start(self, timeout=60):
        port_file = self.data_dir.rstrip("/") + ".port"
        if os.path.exists(port_file):
            os.unlink(port_file)
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "chserver.py"), "--host", "127.0.0.1",
             "--port", "0", "--data", self.data_dir, "--lib", chdb_lib(),
             "--port-file", port_file],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("chserver exited with %s:\n%s" % (
                    self.proc.returncode, self.read_log()))
            if os.path.exists(port_file):
                with open(port_file) as f:
                    txt = f.read().strip()
                if txt:
                    self.port = int(txt)
                    return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("chserver did not start:\n" + self.read_log())

    def read_log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")[-4000:]
        except OSError:
            return ""

    def stop(self, timeout=30):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self.proc:
            rc = self.proc.returncode
            self.proc = None
            self.log.close()
            return rc
        return None


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self):
        return self.body.decode("utf-8")

    def header(self, name):
        return self.headers.get(name.lower())


class Client:
    def __init__(self, port):
        self.port = port

    def request(self, body=None, params=None, headers=None, method="POST", path="/",
                conn=None):
        own = conn is None
        if own:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            url = path + ("?" + urlencode(params) if params else "")
            if isinstance(body, str):
                body = body.encode("utf-8")
            conn.request(method, url, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
        finally:
            if own:
                conn.close()

    def ok(self, sql, params=None, headers=None, **kw):
        r = self.request(sql, params=params, headers=headers, **kw)
        if r.status != 200:
            raise AssertionError("HTTP %d for %r: %s" % (r.status, sql[:200] if isinstance(
                sql, str) else sql[:200], r.body[:2000]))
        return r

    def text(self, sql, **kw):
        return self.ok(sql, **kw).text

    def scalar(self, sql, **kw):
        return self.text(sql, **kw).strip()


class ServerTestCase(unittest.TestCase):
    """One shared server for the class; each test uses its own database."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="chserver-test-")
        cls.server = ServerProcess(os.path.join(cls.tmp, "data")).start()
        cls.c = Client(cls.server.port)

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        if rc != 0:
            raise AssertionError("server exit code %s" % rc)

    def setUp(self):
        self.db = "t_" + self._testMethodName[:40] + "_" + uuid.uuid4().hex[:6]
        self.c.ok("CREATE DATABASE `%s`" % self.db)
        self.h = {"X-ClickHouse-Database": self.db}

    def tearDown(self):
        self.c.ok("DROP DATABASE IF EXISTS `%s` SYNC" % self.db)

    def q(self, sql, **kw):
        headers = dict(self.h)
        headers.update(kw.pop("headers", {}) or {})
        return self.c.ok(sql, headers=headers, **kw)

    def t(self, sql, **kw):
        return self.q(sql, **kw).text

    def s(self, sql, **kw):
        return self.t(sql, **kw).strip()

    def err(self, sql, **kw):
        headers = dict(self.h)
        headers.update(kw.pop("headers", {}) or {})
        r = self.c.request(sql, headers=headers, **kw)
        self.assertNotEqual(r.status, 200, r.body)
        return r


# ---------------------------------------------------------------------------

class SplitInsertTest(unittest.TestCase):
    """The statement/data splitter, without an engine."""

    def split(self, text):
        return chserver.split_insert(text if isinstance(text, bytes) else text.encode())

    def test_format_with_newline(self):
        sp = self.split("INSERT INTO t FORMAT TSV\n1\tx\n\n2\ty\n")
        self.assertEqual(sp.statement, b"INSERT INTO t ")
        self.assertEqual(sp.format, "TSV")
        self.assertEqual(b"INSERT INTO t FORMAT TSV\n1\tx\n\n2\ty\n"[sp.data_start:],
                         b"1\tx\n\n2\ty\n")

    def test_format_data_on_same_line_and_crlf(self):
        text = b"insert into db.t (a, `format`) settings x=1 format CSV  1,2\n"
        sp = self.split(text)
        self.assertEqual(sp.statement, b"insert into db.t (a, `format`) settings x=1 ")
        self.assertEqual(sp.format, "CSV")
        self.assertEqual(text[sp.data_start:], b"1,2\n")
        text = b"INSERT INTO t FORMAT RowBinary \r\n\n\x00\x01"
        sp = self.split(text)
        self.assertEqual(text[sp.data_start:], b"\n\x00\x01")

    def test_values(self):
        text = b"INSERT INTO t (values, x) VALUES (1, 'FORMAT x\n\n'), (2, 'b')"
        sp = self.split(text)
        self.assertEqual(sp.format, "Values")
        self.assertEqual(sp.statement, b"INSERT INTO t (values, x) ")
        self.assertEqual(text[sp.data_start:], b" (1, 'FORMAT x\n\n'), (2, 'b')")

    def test_binary_data_is_not_scanned(self):
        text = b"INSERT INTO t FORMAT RowBinary\n" + bytes(range(256)) + b"'\"`/*"
        sp = self.split(text)
        self.assertEqual(text[sp.data_start:], bytes(range(256)) + b"'\"`/*")

    def test_comments_and_quotes(self):
        text = b"/* FORMAT x */ INSERT INTO `values` -- VALUES\n FORMAT JSONEachRow\n{}"
        sp = self.split(text)
        self.assertEqual(sp.format, "JSONEachRow")
        self.assertEqual(text[sp.data_start:], b"{}")

    def test_table_named_like_keywords(self):
        sp = self.split(b"INSERT INTO format FORMAT CSV\n1")
        self.assertEqual(sp.statement, b"INSERT INTO format ")
        sp = self.split(b"INSERT INTO TABLE values VALUES (1)")
        self.assertEqual(sp.statement, b"INSERT INTO TABLE values ")

    def test_no_inline_data(self):
        self.assertIsNone(self.split(b"INSERT INTO t SELECT * FROM s FORMAT TSV"))
        self.assertIsNone(self.split(b"INSERT INTO t WITH 1 AS x SELECT x"))
        self.assertIsNone(self.split(b"INSERT INTO t FROM INFILE 'x' FORMAT CSV"))
        self.assertIsNone(self.split(b"SELECT 1 FORMAT TSV"))
        self.assertIsNone(self.split(b"INSERT INTO t"))

    def test_detect_format(self):
        fmts = {"jsoneachrow": "JSONEachRow", "tsv": "TSV", "rowbinary": "RowBinary"}
        self.assertEqual(chserver.detect_format(b"SELECT 1 FORMAT jsoneachrow", fmts),
                         "JSONEachRow")
        self.assertIsNone(chserver.detect_format(b"SELECT format FROM t", fmts))
        self.assertIsNone(chserver.detect_format(b"SELECT (SELECT 1 FORMAT TSV)", fmts))
        self.assertIsNone(chserver.detect_format(b"SELECT 'FORMAT TSV'", fmts))

    def test_error_parsing(self):
        e = chserver.CHError.from_engine(
            "Code: 60. DB::Exception: Table default.x does not exist. (UNKNOWN_TABLE)")
        self.assertEqual((e.code, e.name), (60, "UNKNOWN_TABLE"))
        self.assertEqual(e.http_status(), 404)
        self.assertEqual(e.body("1.2.3.4"),
                         "Code: 60. DB::Exception: Table default.x does not exist. "
                         "(UNKNOWN_TABLE) (version 1.2.3.4)\n")
        e = chserver.CHError.from_engine(
            "Code: 27. DB::Exception: Cannot parse input. (CANNOT_PARSE_INPUT_ASSERTION_FAILED)"
            " (version 26.7.2.1)")
        self.assertEqual(e.body("9"), "Code: 27. DB::Exception: Cannot parse input. "
                         "(CANNOT_PARSE_INPUT_ASSERTION_FAILED) (version 9)\n")
        e = chserver.CHError.from_engine("something odd")
        self.assertEqual(e.code, 1001)


class NativeCompressionTest(unittest.TestCase):
    """ClickHouse native block framing used by the driver's compress=1 default."""

    # CityHash128 v1.0.2 of bytes(i * 7 % 251 for i in range(n)), computed with
    # the JDBC driver's own ClickHouseCityHash (com.clickhouse:clickhouse-data 0.11.0).
    VECTORS = {
        0: (4463240938071824939, 4374473821787594281),
        3: (10397725514680335072, 16921005854800431525),
        5: (9958498291711065759, 7950573751126190419),
        12: (9250763023370272618, 355493494887265472),
        16: (9505990146112390011, 15165123388653127762),
        17: (7364706902026785852, 9531035248796551299),
        100: (16730819259503946609, 5952912571281781477),
        127: (6838973736806248085, 18072061501464537168),
        128: (3216968460119290871, 14421087128900557163),
        129: (4476658639674605459, 12702770607576697720),
        300: (16650076736817339591, 1051936938271074588),
        1000: (5658906156096457046, 15322971084056694998),
        2000: (673127241999520819, 9698335153135049400),
    }

    def test_city_hash128_vectors(self):
        data = bytes(i * 7 % 251 for i in range(2000))
        for n, want in self.VECTORS.items():
            self.assertEqual(chserver.city_hash128(data[:n]), want, n)

    def test_lz4_block_with_matches(self):
        # literals "abc", then a match of offset 3, length 4 + 15 + 2 = 21 (overlapping),
        # then final literals "xyz"
        block = bytes([0x3F]) + b"abc" + bytes([3, 0, 2]) + bytes([0x30]) + b"xyz"
        self.assertEqual(chserver._lz4_decompress(block, 27), b"abc" * 8 + b"xyz")

    def test_round_trip(self):
        for size in (0, 1, 14, 15, 16, 270, 100000, (1 << 20) + 5):
            data = os.urandom(size)
            framed = chserver.native_compress(data)
            self.assertEqual(chserver.native_decompress(framed), data)
        framed = bytearray(chserver.native_compress(b"hello world"))
        framed[-1] ^= 1
        with self.assertRaises(chserver.CHError) as cm:
            chserver.native_decompress(bytes(framed))
        self.assertEqual(cm.exception.code, 40)


class HttpBasicsTest(ServerTestCase):

    def test_ping_and_root(self):
        for path in ("/ping", "/"):
            r = self.c.request(method="GET", path=path)
            self.assertEqual((r.status, r.body), (200, b"Ok.\n"))
        r = self.c.request(method="GET", path="/nope")
        self.assertEqual(r.status, 404)

    def test_get_query_and_readonly(self):
        r = self.c.request(method="GET", params={"query": "SELECT 40 + 2"})
        self.assertEqual((r.status, r.text), (200, "42\n"))
        r = self.c.request(method="GET", params={"query": "CREATE TABLE `%s`.x (a Int8) "
                                                 "ENGINE=Memory" % self.db})
        self.assertNotEqual(r.status, 200)
        self.assertEqual(r.header("X-ClickHouse-Exception-Code"), "164")

    def test_version_and_timezone(self):
        self.assertEqual(self.s("SELECT version(), timezone()"), ENGINE_VERSION + "\tUTC")
        self.assertEqual(self.s("SELECT toDateTime(0)"), "1970-01-01 00:00:00")
        r = self.q("SELECT 1")
        self.assertEqual(r.header("X-ClickHouse-Timezone"), "UTC")

    def test_response_headers(self):
        qid = "qid-" + uuid.uuid4().hex
        r = self.q("SELECT number FROM system.numbers LIMIT 5",
                   params={"query_id": qid, "wait_end_of_query": "1"})
        self.assertEqual(r.header("X-ClickHouse-Query-Id"), qid)
        self.assertEqual(r.header("X-ClickHouse-Format"), "TabSeparated")
        self.assertTrue(r.header("Content-Type").startswith("text/tab-separated-values"))
        self.assertTrue(r.header("X-ClickHouse-Server-Display-Name"))
        summary = json.loads(r.header("X-ClickHouse-Summary"))
        for k in ("read_rows", "read_bytes", "written_rows", "written_bytes",
                  "total_rows_to_read", "result_rows", "result_bytes", "elapsed_ns"):
            self.assertIsInstance(summary[k], str, k)
            int(summary[k])
        self.assertEqual(summary["result_rows"], "5")
        self.assertTrue(self.q("SELECT 1").header("X-ClickHouse-Query-Id"))

    def test_default_format_header_param_and_clause(self):
        r = self.q("SELECT 1 AS x", headers={"X-ClickHouse-Format": "JSONEachRow"})
        self.assertEqual(r.text, '{"x":1}\n')
        self.assertEqual(r.header("X-ClickHouse-Format"), "JSONEachRow")
        r = self.q("SELECT 1 AS x", params={"default_format": "CSVWithNames"})
        self.assertEqual(r.text, '"x"\n1\n')
        r = self.q("SELECT 1 AS x FORMAT JSONCompactEachRow",
                   headers={"X-ClickHouse-Format": "RowBinary"})
        self.assertEqual(r.text, "[1]\n")
        self.assertEqual(r.header("X-ClickHouse-Format"), "JSONCompactEachRow")
        r = self.q("SELECT toUInt16(258) AS x",
                   headers={"X-ClickHouse-Format": "RowBinaryWithNamesAndTypes"})
        self.assertEqual(r.body, b"\x01\x01x\x06UInt16\x02\x01")

    def test_query_param_plus_body(self):
        r = self.q("1", params={"query": "SELECT 41 +"})
        self.assertEqual(r.text, "42\n")

    def test_keep_alive_and_chunked_and_gzip(self):
        self.q("CREATE TABLE t (s String) ENGINE=MergeTree ORDER BY s")
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        try:
            for i in range(5):
                r = self.c.request("SELECT %d" % i, headers=self.h, conn=conn)
                self.assertEqual(r.text, "%d\n" % i)

            def chunks():
                yield b"INSERT INTO t FORMAT TSV\n"
                for i in range(100):
                    yield b"row%d\n" % i
            conn.request("POST", "/", body=chunks(), encode_chunked=True,
                         headers=dict(self.h, **{"Transfer-Encoding": "chunked"}))
            resp = conn.getresponse()
            self.assertEqual(resp.status, 200, resp.read())
            resp.read()
            body = gzip.compress(b"INSERT INTO t FORMAT TSV\nz1\nz2\n")
            r = self.c.request(body, headers=dict(self.h, **{"Content-Encoding": "gzip"}),
                               conn=conn)
            self.assertEqual(r.status, 200, r.body)
            r = self.c.request("SELECT count() FROM t", conn=conn, headers=dict(
                self.h, **{"Accept-Encoding": "gzip"}),
                params={"enable_http_compression": "1"})
            self.assertEqual(r.header("Content-Encoding"), "gzip")
            self.assertEqual(gzip.decompress(r.body), b"102\n")
        finally:
            conn.close()

    def test_compress_and_decompress_params(self):
        self.q("CREATE TABLE t (s String) ENGINE = MergeTree ORDER BY s")
        body = chserver.native_compress(b"INSERT INTO t FORMAT TSV\nb\n\na\n")
        r = self.q(body, params={"decompress": "1"})
        self.assertEqual(r.status, 200, r.body)
        r = self.q("SELECT s FROM t ORDER BY s", params={"compress": "1"})
        self.assertEqual(chserver.native_decompress(r.body), b"\na\nb\n")
        bad = bytearray(body)
        bad[0] ^= 0xFF
        r = self.err(bytes(bad), params={"decompress": "1"})
        self.assertEqual(r.header("X-ClickHouse-Exception-Code"), "40")
        # errors are sent uncompressed, as ClickHouse does
        r = self.err("SELECT * FROM nope", params={"compress": "1"})
        self.assertTrue(r.text.startswith("Code: 60."), r.text)

    def test_unknown_and_driver_params_are_ignored(self):
        r = self.q("SELECT 1", params={"compress": "false", "decompress": "0",
                                       "client_protocol_version": "54460",
                                       "wait_end_of_query": "1", "user": "default",
                                       "password": "", "some_driver_option": "x",
                                       "async_insert": "0"})
        self.assertEqual(r.text, "1\n")

    def test_url_settings_apply_to_the_request(self):
        self.assertEqual(self.s("SELECT getSetting('max_result_rows')",
                                params={"max_result_rows": "77"}), "77")
        self.assertEqual(self.s("SELECT getSetting('max_result_rows')"), "0")
        r = self.err("SELECT 1", params={"max_threads": "not-a-number"})
        self.assertEqual(r.header("X-ClickHouse-Exception-Code"), "27")


class TypesTest(ServerTestCase):
    COLUMNS = """
        id UInt64, i8 Int8, i16 Int16, i32 Int32, i64 Int64,
        u8 UInt8, u16 UInt16, u32 UInt32, u64 UInt64, f Float64, s String,
        ts DateTime64(3, 'UTC'), n Nullable(String), ni Nullable(Int32),
        arr Array(Int32), astr Array(String), m Map(String, String),
        lc LowCardinality(String), e Enum8('red' = 1, 'green' = 2), u UUID, b Bool"""

    ROWS = [
        {"id": 1, "i8": -128, "i16": -32768, "i32": -2147483648,
         "i64": -9223372036854775808, "u8": 255, "u16": 65535, "u32": 4294967295,
         "u64": 18446744073709551615, "f": 1.5, "s": "tab\there\nnew\n\nline 'q' \"dq\" \\ ünïcødé 🚀",
         "ts": "2024-02-29 23:59:59.999", "n": None, "ni": None, "arr": [],
         "astr": ["a,b", "", "x\ny"], "m": {}, "lc": "alpha", "e": "red",
         "u": "00000000-0000-0000-0000-000000000000", "b": True},
        {"id": 2, "i8": 127, "i16": 32767, "i32": 2147483647,
         "i64": 9223372036854775807, "u8": 0, "u16": 0, "u32": 0, "u64": 0,
         "f": -0.1, "s": "", "ts": "1970-01-01 00:00:00.001", "n": "not null",
         "ni": -7, "arr": [1, -2, 3], "astr": [], "m": {"k": "v", "a\tb": "c\nd"},
         "lc": "", "e": "green", "u": "123e4567-e89b-12d3-a456-426614174000",
         "b": False},
    ]

    def setUp(self):
        super().setUp()
        self.q("CREATE TABLE t (%s) ENGINE = MergeTree ORDER BY id" % self.COLUMNS)

    @staticmethod
    def as_clickhouse_json(row):
        # 26.x no longer quotes 64-bit integers in JSON output by default.
        return dict(row)

    def read_json(self, table="t"):
        text = self.t("SELECT * FROM %s ORDER BY id FORMAT JSONEachRow" % table)
        return [json.loads(line) for line in text.splitlines()]

    def test_json_round_trip(self):
        body = "INSERT INTO t FORMAT JSONEachRow\n" + "\n".join(
            json.dumps(r, ensure_ascii=False) for r in self.ROWS)
        r = self.q(body)
        self.assertEqual(json.loads(r.header("X-ClickHouse-Summary"))["written_rows"], "2")
        self.assertEqual(self.read_json(), [self.as_clickhouse_json(r) for r in self.ROWS])
        # Nulls, arrays and maps as seen from SQL
        self.assertEqual(self.t("SELECT id, n IS NULL, length(arr), m['a\\tb'], "
                                "toUnixTimestamp64Milli(ts), toTypeName(lc) FROM t ORDER BY id"),
                         "1\t1\t0\t\t1709251199999\tLowCardinality(String)\n"
                         "2\t0\t3\tc\\nd\t1\tLowCardinality(String)\n")

    def test_rowbinary_round_trip_and_values(self):
        self.q("INSERT INTO t FORMAT JSONEachRow\n" + "\n".join(
            json.dumps(r) for r in self.ROWS))
        raw = self.q("SELECT * FROM t ORDER BY id FORMAT RowBinary").body
        self.assertGreater(len(raw), 100)
        self.q("CREATE TABLE t2 AS t")
        r = self.q(b"INSERT INTO t2 FORMAT RowBinary\n" + raw)
        self.assertEqual(json.loads(r.header("X-ClickHouse-Summary"))["written_rows"], "2")
        self.assertEqual(self.read_json("t2"), self.read_json("t"))
        self.assertEqual(self.q("SELECT * FROM t2 ORDER BY id FORMAT RowBinary").body, raw)
        # TSV round trip (escapes of tabs/newlines/backslashes)
        tsv = self.q("SELECT * FROM t ORDER BY id FORMAT TSV").body
        self.q("CREATE TABLE t3 AS t")
        self.q(b"INSERT INTO t3 FORMAT TSV\n" + tsv)
        self.assertEqual(self.read_json("t3"), self.read_json("t"))
        # VALUES with literal blank lines inside strings
        self.q("CREATE TABLE t4 AS t")
        self.q("INSERT INTO t4 (id, s, ts, m, e, u, b) VALUES "
               "(5, 'a\n\nb', '2024-01-01 00:00:00.5', map('k','v'), 'green', "
               "generateUUIDv4(), true),\n\n(6, '', now64(3), map(), 1, "
               "toUUID('123e4567-e89b-12d3-a456-426614174000'), false)")
        self.assertEqual(self.t("SELECT id, s, ts, m, e FROM t4 WHERE id = 5 "
                                "FORMAT JSONEachRow"),
                         '{"id":5,"s":"a\\n\\nb","ts":"2024-01-01 00:00:00.500",'
                         '"m":{"k":"v"},"e":"green"}\n')
        self.assertEqual(self.s("SELECT count() FROM t4"), "2")


class InsertTest(ServerTestCase):

    def test_batch_100k_json_each_row(self):
        self.q("CREATE TABLE t (id UInt32, name String, ts DateTime64(3, 'UTC')) "
               "ENGINE = MergeTree ORDER BY id")
        lines = ['{"id":%d,"name":"n%d","ts":"2024-01-01 00:00:%02d.%03d"}'
                 % (i, i, i % 60, i % 1000) for i in range(100000)]
        r = self.q("INSERT INTO t FORMAT JSONEachRow\n" + "\n".join(lines) + "\n")
        summary = json.loads(r.header("X-ClickHouse-Summary"))
        self.assertEqual(summary["written_rows"], "100000")
        self.assertEqual(self.s("SELECT count(), sum(id), uniqExact(name) FROM t"),
                         "100000\t4999950000\t100000")

    def test_rowbinary_batch_with_arbitrary_bytes(self):
        self.q("CREATE TABLE t (id UInt32, s String, f Float64) ENGINE = MergeTree ORDER BY id")
        parts, total_len = [], 0
        for i in range(20000):
            s = (b"\n\n" * (i % 3)) + bytes([i % 256]) + b"'x\r\n\t\x00 FORMAT" + \
                str(i).encode()
            total_len += len(s)
            parts.append(struct.pack("<I", i) + bytes([len(s)]) + s + struct.pack("<d", i / 7))
        data = b"".join(parts)
        self.assertIn(b"\n\n\n", data)
        r = self.q(b"INSERT INTO t FORMAT RowBinary\n" + data)
        self.assertEqual(json.loads(r.header("X-ClickHouse-Summary"))["written_rows"], "20000")
        self.assertEqual(self.s("SELECT count(), sum(length(s)), sum(id) FROM t"),
                         "20000\t%d\t%d" % (total_len, sum(range(20000))))
        self.assertEqual(self.q("SELECT s FROM t WHERE id = 2 FORMAT RowBinary").body[1:],
                         b"\n\n\n\n\x02'x\r\n\t\x00 FORMAT2")
        # same data via ?query= with the body as pure data
        self.q("TRUNCATE TABLE t")
        self.q(data, params={"query": "INSERT INTO t FORMAT RowBinary"})
        self.assertEqual(self.s("SELECT count(), sum(length(s)) FROM t"),
                         "20000\t%d" % total_len)

    def test_tsv_with_blank_lines(self):
        self.q("CREATE TABLE t (n UInt32, s String) ENGINE = MergeTree ORDER BY n")
        self.q("INSERT INTO t FORMAT TSV\n1\ta\n2\t\n3\tb\\n\\nc\n")
        self.q("CREATE TABLE one (s String) ENGINE = MergeTree ORDER BY tuple()")
        # Empty lines are rows with an empty string: nothing may be cut.
        self.q("INSERT INTO one FORMAT TSV\nfirst\n\n\nafter blank lines\n\nlast\n")
        self.assertEqual(self.s("SELECT count(), countIf(s = '') FROM one"), "6\t3")
        self.q("\nx\n\n", params={"query": "INSERT INTO one FORMAT TSV"})
        self.assertEqual(self.s("SELECT count(), countIf(s = '') FROM one"), "9\t5")
        self.assertEqual(self.t("SELECT * FROM t ORDER BY n"), "1\ta\n2\t\n3\tb\\n\\nc\n")

    def test_csv_and_bad_data_errors(self):
        self.q("CREATE TABLE t (n UInt32, s String) ENGINE = MergeTree ORDER BY n")
        self.q("INSERT INTO t FORMAT CSV\n1,\"multi\n\nline\"\n2,x\n")
        self.assertEqual(self.s("SELECT count() FROM t"), "2")
        r = self.err("INSERT INTO t FORMAT CSV\nnot-a-number,x\n")
        code = int(r.header("X-ClickHouse-Exception-Code"))
        self.assertTrue(r.text.startswith("Code: %d. DB::Exception: " % code), r.text)
        self.assertIn("(version %s)" % ENGINE_VERSION, r.text)

    def test_async_insert_is_off_read_your_write(self):
        self.assertEqual(self.s("SELECT getSetting('async_insert'), "
                                "getSetting('wait_for_async_insert')"), "false\ttrue")
        self.q("CREATE TABLE t (n UInt32) ENGINE = MergeTree ORDER BY n")
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        try:
            for i in range(1, 21):
                self.c.request("INSERT INTO t VALUES (%d)" % i, headers=self.h, conn=conn)
                r = self.c.request("SELECT count() FROM t", headers=self.h, conn=conn)
                self.assertEqual(r.text, "%d\n" % i)
        finally:
            conn.close()
        # query-level async_insert=0 from a client is accepted as well
        self.q("INSERT INTO t VALUES (100)", params={"async_insert": "0"})
        self.assertEqual(self.s("SELECT count() FROM t"), "21")

    def test_insert_select_summary(self):
        self.q("CREATE TABLE t (n UInt64) ENGINE = MergeTree ORDER BY n")
        r = self.q("INSERT INTO t SELECT number FROM numbers(1234)")
        self.assertEqual(json.loads(r.header("X-ClickHouse-Summary"))["written_rows"], "1234")


class EnginesTest(ServerTestCase):

    def test_merge_tree_family_mv_and_ttl(self):
        self.q("CREATE TABLE ev (id UInt64, k String, v Int64, ts DateTime64(3, 'UTC')) "
               "ENGINE = MergeTree PARTITION BY toYYYYMM(ts) ORDER BY (k, ts) "
               "TTL toDateTime(ts) + INTERVAL 30 DAY")
        self.q("CREATE TABLE latest (k String, v Int64, ver UInt64) "
               "ENGINE = ReplacingMergeTree(ver) ORDER BY k")
        self.q("CREATE TABLE agg (k String, total Int64, cnt UInt64) "
               "ENGINE = SummingMergeTree ORDER BY k")
        self.q("CREATE MATERIALIZED VIEW mv_agg TO agg AS "
               "SELECT k, sum(v) AS total, count() AS cnt FROM ev GROUP BY k")
        self.q("CREATE MATERIALIZED VIEW mv_latest TO latest AS SELECT k, v, id AS ver FROM ev")
        self.q("INSERT INTO ev SELECT number, 'k' || toString(number % 3), number, now64(3) "
               "FROM numbers(30)")
        # expired by TTL (older than 30 days)
        self.q("INSERT INTO ev VALUES (100, 'old', 5, now64(3) - INTERVAL 90 DAY)")
        self.assertEqual(self.s("SELECT k, sum(total), sum(cnt) FROM agg GROUP BY k "
                                "ORDER BY k FORMAT CSV"),
                         '"k0",135,10\n"k1",145,10\n"k2",155,10\n"old",5,1')
        self.assertEqual(self.s("SELECT k, v FROM latest FINAL ORDER BY k FORMAT CSV"),
                         '"k0",27\n"k1",28\n"k2",29\n"old",5')
        self.q("OPTIMIZE TABLE ev FINAL")
        self.assertEqual(self.s("SELECT countIf(k = 'old'), count() FROM ev"), "0\t30")
        self.assertIn("TTL", self.s("SHOW CREATE TABLE ev"))
        # window functions
        self.assertEqual(self.s("SELECT k, id, row_number() OVER (PARTITION BY k ORDER BY id DESC) "
                                "AS rn FROM ev WHERE k = 'k0' ORDER BY rn LIMIT 2 FORMAT CSV"),
                         '"k0",27,1\n"k0",24,2')

    def test_alter_and_mutations_visible(self):
        self.q("CREATE TABLE t (n UInt32, s String) ENGINE = MergeTree ORDER BY n")
        self.q("INSERT INTO t SELECT number, 'x' FROM numbers(10)")
        self.q("ALTER TABLE t ADD COLUMN z Int32 DEFAULT n * 2")
        self.q("ALTER TABLE t DELETE WHERE n < 5 SETTINGS mutations_sync = 2")
        self.assertEqual(self.s("SELECT count(), sum(z) FROM t"), "5\t70")


class ErrorsTest(ServerTestCase):

    def check(self, r, code, name, status):
        self.assertEqual(r.status, status, r.body)
        self.assertEqual(r.header("X-ClickHouse-Exception-Code"), str(code))
        self.assertTrue(r.text.startswith("Code: %d. DB::Exception: " % code), r.text)
        self.assertTrue(r.text.endswith("(%s) (version %s)\n" % (name, ENGINE_VERSION)),
                        r.text)

    def test_unknown_table(self):
        self.check(self.err("SELECT * FROM no_such_table"), 60, "UNKNOWN_TABLE", 404)
        self.check(self.err("INSERT INTO no_such_table FORMAT TSV\n1\n"), 60,
                   "UNKNOWN_TABLE", 404)

    def test_syntax_and_other_errors(self):
        self.check(self.err("SELEC 1"), 62, "SYNTAX_ERROR", 400)
        self.check(self.err("SELECT 1; SELECT 2"), 62, "SYNTAX_ERROR", 400)
        self.check(self.err("SELECT throwIf(1)"), 395, "FUNCTION_THROW_IF_VALUE_IS_NON_ZERO",
                   500)
        r = self.c.request("SELECT 1", headers={"X-ClickHouse-Database": "no_such_db_x"})
        self.check(r, 81, "UNKNOWN_DATABASE", 404)
        r = self.c.request("", method="POST")
        self.assertEqual(r.status, 400)

    def test_server_survives_errors(self):
        for _ in range(5):
            self.err("SELECT * FROM nope")
        self.assertEqual(self.s("SELECT 1"), "1")


class ParamsAndIsolationTest(ServerTestCase):

    def test_param_substitution(self):
        self.q("CREATE TABLE t (id UInt32, s String) ENGINE = MergeTree ORDER BY id")
        self.q("INSERT INTO t VALUES (1, 'a'), (2, 'it''s'), (3, 'c')")
        evil = "x' OR 1=1 --"
        r = self.q("SELECT {s:String} AS s, {n:UInt8} + 1, {arr:Array(UInt32)}, "
                   "{ts:DateTime64(3)}, {nul:Nullable(String)} FORMAT JSONEachRow",
                   params={"param_s": evil, "param_n": "41", "param_arr": "[1,2,3]",
                           "param_ts": "2024-01-02 03:04:05.678", "param_nul": "\\N"})
        row = list(json.loads(r.text).values())
        self.assertEqual(row, [evil, 42, [1, 2, 3], "2024-01-02 03:04:05.678", None])
        self.assertEqual(self.s("SELECT count() FROM t WHERE s = {s:String}",
                                params={"param_s": evil}), "0")
        self.assertEqual(self.s("SELECT id FROM t WHERE s = {s:String}",
                                params={"param_s": "it's"}), "2")
        self.assertEqual(self.s("SELECT count() FROM {tbl:Identifier} WHERE id IN {ids:Array(UInt32)}",
                                params={"param_tbl": "t", "param_ids": "[1,3]"}), "2")
        # escaped (TSV-style) values, as ClickHouse parses HTTP params
        self.assertEqual(self.q("SELECT {s:String} FORMAT RowBinary",
                                params={"param_s": "a\\tb\\nc"}).body, b"\x05a\tb\nc")
        r = self.err("SELECT {missing:String}")
        self.assertEqual(r.header("X-ClickHouse-Exception-Code"), "456")

    def test_params_in_insert_with_data(self):
        self.q("CREATE TABLE t (id UInt32) ENGINE = MergeTree ORDER BY id")
        self.q("INSERT INTO {tbl:Identifier} FORMAT TSV\n1\n2\n", params={"param_tbl": "t"})
        self.assertEqual(self.s("SELECT count() FROM t"), "2")

    def test_no_set_or_use_leak(self):
        default = self.c.scalar("SELECT getSetting('max_result_rows')")
        self.c.ok("SET max_result_rows = 3")
        self.assertEqual(self.c.scalar("SELECT getSetting('max_result_rows')"), default)
        self.c.ok("USE `%s`" % self.db)
        self.assertEqual(self.c.scalar("SELECT currentDatabase()"), "default")
        # the database header applies to its own request only
        self.assertEqual(self.s("SELECT currentDatabase()"), self.db)
        self.assertEqual(self.c.scalar("SELECT currentDatabase()"), "default")
        self.assertEqual(self.c.scalar("SELECT currentDatabase()",
                                       params={"database": self.db}), self.db)
        # same keep-alive connection: still no leak
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        try:
            self.c.request("SET max_result_rows = 3", conn=conn)
            self.c.request("USE system", conn=conn)
            r = self.c.request("SELECT getSetting('max_result_rows'), currentDatabase()",
                               conn=conn)
            self.assertEqual(r.text, "%s\tdefault\n" % default)
        finally:
            conn.close()
        # the timezone stays UTC after a session_timezone change
        self.c.ok("SET session_timezone = 'Asia/Tokyo'")
        self.assertEqual(self.c.scalar("SELECT timezone()"), "UTC")

    def test_sessions_keep_state_per_session(self):
        sid = "s-" + uuid.uuid4().hex
        self.c.ok("SET max_result_rows = 5", params={"session_id": sid})
        self.c.ok("USE `%s`" % self.db, params={"session_id": sid})
        self.assertEqual(self.c.scalar("SELECT getSetting('max_result_rows'), currentDatabase()",
                                       params={"session_id": sid}), "5\t" + self.db)
        self.assertEqual(self.c.scalar("SELECT getSetting('max_result_rows'), currentDatabase()",
                                       params={"session_id": sid + "x"}), "0\tdefault")
        self.assertEqual(self.c.scalar("SELECT getSetting('max_result_rows')"), "0")
        r = self.c.request("SELECT 1", params={"session_id": "nope-" + sid, "session_check": "1"})
        self.assertEqual(r.header("X-ClickHouse-Exception-Code"), "372")


class ConcurrencyTest(ServerTestCase):

    def test_concurrent_writers_and_readers(self):
        self.q("CREATE TABLE t (w UInt8, i UInt32, payload String) "
               "ENGINE = MergeTree ORDER BY (w, i)")
        threads, errors = 8, []
        batches, per_batch = 15, 200
        barrier = threading.Barrier(threads)

        def worker(w):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=120)
                barrier.wait(30)
                for b in range(batches):
                    rows = "".join('{"w":%d,"i":%d,"payload":"%s"}\n'
                                   % (w, b * per_batch + j, ("w%d-" % w) * (j % 7))
                                   for j in range(per_batch))
                    r = self.c.request("INSERT INTO t FORMAT JSONEachRow\n" + rows,
                                       headers=self.h, conn=conn)
                    if r.status != 200:
                        raise AssertionError(r.body)
                    r = self.c.request("SELECT count(), uniqExact(i) FROM t WHERE w = %d" % w,
                                       headers=dict(self.h, **{"X-ClickHouse-Format": "TSV"}),
                                       conn=conn)
                    want = (b + 1) * per_batch
                    if r.text != "%d\t%d\n" % (want, want):
                        raise AssertionError("worker %d batch %d: %r" % (w, b, r.text))
                    # results of other workers never leak into this response
                    r = self.c.request("SELECT DISTINCT w FROM t WHERE w = %d" % w,
                                       headers=self.h, conn=conn)
                    if r.text != "%d\n" % w:
                        raise AssertionError("worker %d got %r" % (w, r.text))
                conn.close()
            except Exception as e:  # noqa: BLE001
                errors.append(e)

        ts = [threading.Thread(target=worker, args=(w,)) for w in range(threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join(300)
        self.assertEqual(errors, [])
        self.assertEqual(self.s("SELECT count(), uniqExact(w, i) FROM t"),
                         "%d\t%d" % ((threads * batches * per_batch,) * 2))

    def test_slow_client_does_not_block_or_corrupt_others(self):
        self.q("CREATE TABLE t (s String) ENGINE = MergeTree ORDER BY s")
        payload = b"INSERT INTO t FORMAT TSV\n" + b"slow\n" * 1000
        sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=60)
        try:
            head = ("POST / HTTP/1.1\r\nHost: x\r\nX-ClickHouse-Database: %s\r\n"
                    "Content-Length: %d\r\n\r\n" % (self.db, len(payload))).encode()
            sock.sendall(head + payload[:len(payload) // 2])
            time.sleep(0.3)
            # others proceed while the slow upload is pending
            for i in range(5):
                self.assertEqual(self.s("SELECT %d" % i), str(i))
            self.assertEqual(self.s("SELECT count() FROM t"), "0")
            sock.sendall(payload[len(payload) // 2:])
            data = b""
            while b"\r\n\r\n" not in data:
                data += sock.recv(65536)
            self.assertTrue(data.startswith(b"HTTP/1.1 200"), data)
        finally:
            sock.close()
        self.assertEqual(self.s("SELECT count() FROM t"), "1000")


class PersistenceTest(unittest.TestCase):

    def test_data_survives_restart(self):
        tmp = tempfile.mkdtemp(prefix="chserver-persist-")
        try:
            data = os.path.join(tmp, "data")
            srv = ServerProcess(data).start()
            c = Client(srv.port)
            c.ok("CREATE DATABASE keep")
            c.ok("CREATE TABLE keep.t (id UInt32, s String) ENGINE = MergeTree ORDER BY id")
            c.ok("CREATE TABLE keep.agg (n UInt64) ENGINE = SummingMergeTree ORDER BY tuple()")
            c.ok("CREATE MATERIALIZED VIEW keep.mv TO keep.agg AS SELECT count() AS n FROM keep.t")
            c.ok("INSERT INTO keep.t FORMAT TSV\n1\ta\n2\tb\\nc\n")
            c.ok("INSERT INTO keep.t SELECT number + 10, 'n' FROM numbers(500)")
            self.assertEqual(srv.stop(), 0)
            self.assertIn("stopped", srv.read_log())
            srv = ServerProcess(data).start()
            c = Client(srv.port)
            self.assertEqual(c.scalar("SELECT count(), sum(id) FROM keep.t"),
                             "502\t%d" % (3 + sum(range(10, 510))))
            self.assertEqual(c.scalar("SELECT s FROM keep.t WHERE id = 2"), "b\\nc")
            c.ok("INSERT INTO keep.t VALUES (9999, 'after restart')")
            self.assertEqual(c.scalar("SELECT sum(n) FROM keep.agg"), "503")
            self.assertEqual(srv.stop(), 0)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def test_second_server_on_same_data_dir_is_refused(self):
        tmp = tempfile.mkdtemp(prefix="chserver-lock-")
        try:
            data = os.path.join(tmp, "data")
            srv = ServerProcess(data).start()
            try:
                second = ServerProcess(data)
                with self.assertRaises(RuntimeError):
                    second.start(timeout=30)
                self.assertEqual(second.stop(), 2)
                self.assertIn("in use", second.read_log())
            finally:
                srv.stop()
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
