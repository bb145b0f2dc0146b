#!/usr/bin/env python3
"""Local ClickHouse HTTP-interface server over the chDB engine (libchdb.so).

Development / CI infrastructure only: it runs the real ClickHouse engine that
ships inside the npm package @chdb/lib-linux-x64-gnu and speaks enough of the
ClickHouse HTTP protocol for the official JDBC driver (client-v2, used with
compress=false), curl and the project's tests. Production uses a real server.

Stdlib only (http.server + ctypes).

    python3 chserver.py --lib PATH/libchdb.so --data DIR [--host 127.0.0.1]
                        [--port 8123 (0 = any free port)] [--port-file FILE]

Design notes
  * One engine per process, data on disk under --data (chDB's --path).
  * Every request without session_id runs on a fresh chDB connection (cheap:
    well under a millisecond) that is closed afterwards, so SET/USE never leak
    between requests. Requests with session_id share one connection per
    session (ClickHouse HTTP session semantics), expiring after
    session_timeout seconds (default 60).
  * Engine calls are serialised by one lock. Request bodies are read before
    the lock is taken and results are copied out before it is released, so a
    slow client never holds the engine nor sees another request's data.
  * INSERT statements that carry data (FORMAT x <data> or VALUES ...) are
    split into statement and data; the data goes through chDB's streaming
    insert API byte for byte (chDB's plain query path cuts inline data at
    blank lines).
  * Query parameters (param_<name>) are bound by the engine itself
    (chdb_query_with_params_n), exactly like ClickHouse: no SQL interpolation.
"""

import argparse
import bz2
import ctypes
import fcntl
import gzip
import json
import lzma
import os
import re
import signal
import socket
import struct
import sys
import threading
import time
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

DEFAULT_FORMAT = "TabSeparated"
SERVER_TIMEZONE = "UTC"
KEEP_ALIVE_ADVERTISED_S = 10      # what clients are told (Keep-Alive header)
KEEP_ALIVE_IDLE_S = 30            # how long the server really keeps idle sockets
APPEND_CHUNK = 1 << 20
MAX_LOG_SQL = 200

# URL parameters that ClickHouse's HTTP handler consumes itself (never settings).
RESERVED_PARAMS = {
    "query", "database", "default_format", "query_id", "user", "password",
    "quota_key", "session_id", "session_timeout", "session_check",
    "close_session", "compress", "decompress", "buffer_size",
    "wait_end_of_query", "stacktrace", "role", "client_protocol_version",
    "http_native_compression_disable_checksumming_on_decompress",
}

# Settings applied to every connection, before the client's own settings.
CONNECTION_DEFAULTS = [
    "--async_insert=0",            # chDB defaults to async inserts
    "--wait_for_async_insert=1",
    "--implicit_select=0",         # as a ClickHouse server (chDB enables it)
]

# ClickHouse's HTTPHandler maps some exception codes to HTTP statuses.
STATUS_BY_ERROR = {}
for _name in ("REQUIRED_PASSWORD", "AUTHENTICATION_FAILED", "UNKNOWN_USER",
              "WRONG_PASSWORD"):
    STATUS_BY_ERROR[_name] = 401
for _name in ("ACCESS_DENIED", "READONLY"):
    STATUS_BY_ERROR[_name] = 403
for _name in ("CANNOT_PARSE_TEXT", "CANNOT_PARSE_ESCAPE_SEQUENCE",
              "CANNOT_PARSE_QUOTED_STRING", "CANNOT_PARSE_DATE",
              "CANNOT_PARSE_DATETIME", "CANNOT_PARSE_NUMBER",
              "CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING", "CANNOT_PARSE_IPV4",
              "CANNOT_PARSE_IPV6", "CANNOT_PARSE_INPUT_ASSERTION_FAILED",
              "CANNOT_PARSE_UUID", "CANNOT_PARSE_BOOL", "DUPLICATE_COLUMN",
              "ILLEGAL_COLUMN", "UNKNOWN_ELEMENT_IN_AST",
              "UNKNOWN_TYPE_OF_AST_NODE", "THERE_IS_NO_COLUMN", "TOO_DEEP_AST",
              "TOO_BIG_AST", "UNEXPECTED_AST_STRUCTURE", "SYNTAX_ERROR",
              "INCORRECT_DATA", "TYPE_MISMATCH", "INVALID_SESSION_TIMEOUT",
              "BAD_QUERY_PARAMETER", "UNKNOWN_QUERY_PARAMETER"):
    STATUS_BY_ERROR[_name] = 400
for _name in ("UNKNOWN_TABLE", "UNKNOWN_FUNCTION", "UNKNOWN_IDENTIFIER",
              "UNKNOWN_TYPE", "UNKNOWN_STORAGE", "UNKNOWN_DATABASE",
              "UNKNOWN_SETTING", "UNKNOWN_DIRECTION_OF_SORTING",
              "UNKNOWN_AGGREGATE_FUNCTION", "UNKNOWN_FORMAT",
              "UNKNOWN_DATABASE_ENGINE", "UNKNOWN_TYPE_OF_QUERY", "UNKNOWN_ROLE",
              "SESSION_NOT_FOUND"):
    STATUS_BY_ERROR[_name] = 404
STATUS_BY_ERROR.update({
    "QUERY_IS_TOO_LARGE": 413,
    "NOT_IMPLEMENTED": 501,
    "SOCKET_TIMEOUT": 503,
    "HTTP_LENGTH_REQUIRED": 411,
    "TIMEOUT_EXCEEDED": 408,
    "SESSION_IS_LOCKED": 423,
})

ERROR_RE = re.compile(r"^\s*Code:\s*(\d+)\.\s*(?:DB::Exception:\s*)?", re.S)
ERROR_NAME_RE = re.compile(r"\(([A-Z][A-Z0-9_]+)\)\s*$")
VERSION_SUFFIX_RE = re.compile(r"\s*\(version [^()]*(?:\([^()]*\))?[^()]*\)\s*$")
SECRET_RE = re.compile(
    r"(IDENTIFIED\s+(?:WITH\s+\w+\s+)?BY\s+|PASSWORD\s*=?\s*)'(?:[^'\\]|\\.|'')*'",
    re.I)


def log(msg):
    ts = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime())
    try:
        sys.stderr.write("%s chserver %s\n" % (ts, msg))
        sys.stderr.flush()
    except Exception:  # noqa: BLE001 - logging must never break a request
        pass


class CHError(Exception):
    """An error to report the way ClickHouse reports it."""

    def __init__(self, code, message, name=None, status=None):
        super().__init__(message)
        self.code = int(code)
        self.message = message
        self.name = name
        self.status = status

    @classmethod
    def from_engine(cls, text):
        text = (text or "").strip()
        m = ERROR_RE.match(text)
        if not m:
            return cls(1001, text or "Unknown error", "STD_EXCEPTION")
        code = int(m.group(1))
        rest = VERSION_SUFFIX_RE.sub("", text[m.end():]).rstrip()
        name = None
        nm = ERROR_NAME_RE.search(rest)
        if nm:
            name = nm.group(1)
            rest = rest[:nm.start()].rstrip()
        return cls(code, rest, name)

    def http_status(self):
        if self.status:
            return self.status
        return STATUS_BY_ERROR.get(self.name or "", 500)

    def body(self, version):
        msg = self.message.rstrip()
        if not msg.endswith("."):
            msg += "."
        name = " (%s)" % self.name if self.name else ""
        return "Code: %d. DB::Exception: %s%s (version %s)\n" % (
            self.code, msg, name, version)


# --------------------------------------------------------------------------
# SQL scanning (just enough to split INSERT data off and spot FORMAT clauses)
# --------------------------------------------------------------------------

_WS = b" \t\r\n\f\v"
_WORD_START = re.compile(rb"[A-Za-z_]")
_WORD = re.compile(rb"[A-Za-z0-9_$]*")
_NUMBER = re.compile(rb"[0-9][0-9A-Za-z_.]*")
_HEREDOC = re.compile(rb"\$([A-Za-z0-9_]*)\$")


def _tokens(buf, pos=0):
    """Yield (kind, start, end) tokens of ClickHouse SQL, lazily.

    kind is 'word', 'str', 'qid' (quoted identifier), 'num' or the
    punctuation character itself. Whitespace and comments are skipped.
    Scanning stops at the first unterminated literal or comment.
    """
    n = len(buf)
    while pos < n:
        c = buf[pos]
        if c in _WS:
            pos += 1
            continue
        if buf.startswith(b"--", pos) or buf.startswith(b"#!", pos) \
                or buf.startswith(b"# ", pos):
            nl = buf.find(b"\n", pos)
            if nl < 0:
                return
            pos = nl + 1
            continue
        if buf.startswith(b"/*", pos):
            depth, i = 1, pos + 2
            while depth and i < n:
                if buf.startswith(b"/*", i):
                    depth += 1
                    i += 2
                elif buf.startswith(b"*/", i):
                    depth -= 1
                    i += 2
                else:
                    i += 1
            if depth:
                return
            pos = i
            continue
        if c in b"'\"`":
            quote = c
            i = pos + 1
            while True:
                if i >= n:
                    return
                ch = buf[i]
                if ch == 0x5C:  # backslash escape
                    i += 2
                    continue
                if ch == quote:
                    if i + 1 < n and buf[i + 1] == quote:  # doubled quote
                        i += 2
                        continue
                    break
                i += 1
            yield ("str" if quote == 0x27 else "qid"), pos, i + 1
            pos = i + 1
            continue
        if c == 0x24:  # '$' heredoc $tag$ ... $tag$
            m = _HEREDOC.match(buf, pos)
            if m:
                end = buf.find(m.group(0), m.end())
                if end < 0:
                    return
                yield "str", pos, end + len(m.group(0))
                pos = end + len(m.group(0))
                continue
        if _WORD_START.match(buf, pos):
            m = _WORD.match(buf, pos + 1)
            yield "word", pos, m.end()
            pos = m.end()
            continue
        if 0x30 <= c <= 0x39:
            m = _NUMBER.match(buf, pos)
            yield "num", pos, m.end()
            pos = m.end()
            continue
        yield chr(c), pos, pos + 1
        pos += 1


def _word(buf, tok):
    return buf[tok[1]:tok[2]].decode("ascii").upper() if tok and tok[0] == "word" else None


def _ident_text(buf, tok):
    raw = buf[tok[1]:tok[2]]
    if tok[0] == "qid":
        raw = raw[1:-1]
    return raw.decode("utf-8", "replace")


class InsertSplit:
    """An INSERT with inline data: statement (without FORMAT/VALUES), format, data start."""

    def __init__(self, statement, fmt, data_start):
        self.statement = statement
        self.format = fmt
        self.data_start = data_start


def split_insert(buf):
    """Split `INSERT INTO t ... FORMAT x <data>` / `... VALUES <data>`.

    Returns an InsertSplit, or None when the text is not an INSERT carrying
    inline data (INSERT ... SELECT, FROM INFILE, other statements).
    """
    toks = _tokens(buf)

    def nxt():
        return next(toks, None)

    tok = nxt()
    if _word(buf, tok) != "INSERT":
        return None
    tok = nxt()
    if _word(buf, tok) == "INTO":
        tok = nxt()
    is_function = False
    if _word(buf, tok) == "TABLE":
        tok = nxt()
    elif _word(buf, tok) == "FUNCTION":
        is_function = True
        tok = nxt()
    if tok is None:
        return None
    # Table name: ident[.ident], a {param:Identifier}, or a table function call.
    if tok[0] == "{":
        depth = 1
        while depth:
            tok = nxt()
            if tok is None:
                return None
            if tok[0] == "{":
                depth += 1
            elif tok[0] == "}":
                depth -= 1
        tok = nxt()
    elif tok[0] in ("word", "qid"):
        tok = nxt()
        if tok is not None and tok[0] == ".":
            tok = nxt()   # the table part
            tok = nxt()
        if is_function and tok is not None and tok[0] == "(":
            depth = 1
            while depth:
                tok = nxt()
                if tok is None:
                    return None
                if tok[0] == "(":
                    depth += 1
                elif tok[0] == ")":
                    depth -= 1
            tok = nxt()
    else:
        return None
    depth = 0
    while tok is not None:
        kind = tok[0]
        if kind in "([":
            depth += 1
        elif kind in ")]":
            depth -= 1
        elif depth == 0 and kind == "word":
            w = _word(buf, tok)
            if w == "VALUES":
                return InsertSplit(buf[:tok[1]], "Values", tok[2])
            if w == "FORMAT":
                ftok = nxt()
                if ftok is None or ftok[0] not in ("word", "qid"):
                    return None
                fmt = _ident_text(buf, ftok)
                # ClickHouse: data starts after the first newline, if there is
                # one, or after all the whitespace characters otherwise.
                i, n = ftok[2], len(buf)
                while i < n and buf[i] in b" \t\f":
                    i += 1
                if i < n and buf[i] == 0x0D:
                    i += 1
                if i < n and buf[i] == 0x0A:
                    i += 1
                return InsertSplit(buf[:tok[1]], fmt, i)
            if w in ("SELECT", "WITH", "FROM"):
                return None
        tok = nxt()
    return None


def detect_format(buf, known_formats):
    """The output format named by a top-level `FORMAT x` clause, or None."""
    depth = 0
    found = None
    prev_format = False
    for tok in _tokens(buf):
        kind = tok[0]
        if prev_format:
            prev_format = False
            if kind in ("word", "qid"):
                name = _ident_text(buf, tok)
                canon = known_formats.get(name.lower())
                if canon:
                    found = canon
                    continue
        if kind in "([{":
            depth += 1
        elif kind in ")]}":
            depth -= 1
        elif depth == 0 and kind == "word" and _word(buf, tok) == "FORMAT":
            prev_format = True
    return found


def quote_ident(name):
    return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`"


def quote_string(value):
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def content_type_for(fmt):
    f = (fmt or "").lower()
    if f.startswith("tabseparated") or f.startswith("tsv"):
        return "text/tab-separated-values; charset=UTF-8"
    if f.startswith("csv"):
        return "text/csv; charset=UTF-8; header=%s" % (
            "present" if "withnames" in f else "absent")
    if f.startswith("json") or f.startswith("ndjson"):
        return "application/json; charset=UTF-8"
    if f in ("xml",):
        return "application/xml; charset=UTF-8"
    if f.startswith("rowbinary") or f in ("native", "parquet", "arrow",
                                          "arrowstream", "orc", "avro",
                                          "protobuf", "msgpack", "capnproto"):
        return "application/octet-stream"
    return "text/plain; charset=UTF-8"


# --------------------------------------------------------------------------
# ClickHouse native compression framing (compress=1 / decompress=1)
#
# Each block: 16-byte CityHash128 (v1.0.2) checksum of the rest, method byte
# (0x82 LZ4, 0x02 none, 0x90 ZSTD), UInt32 size of the compressed block
# including this 9-byte header, UInt32 uncompressed size, then the payload.
# Responses use LZ4 blocks holding literals only (valid LZ4, no real
# compression: this server only talks over loopback).
# --------------------------------------------------------------------------

_M64 = (1 << 64) - 1
_K0 = 0xC3A5C85C97CB3127
_K1 = 0xB492B66FBE98F273
_K2 = 0x9AE16A3B2F90404F
_K3 = 0xC949D7C7509E6557
_KMUL = 0x9DDFEA08EB382D69
_U64 = struct.Struct("<Q")
_U32 = struct.Struct("<I")
BLOCK_HEADER = struct.Struct("<BII")
NATIVE_BLOCK_SIZE = 1 << 20


def _f64(s, i):
    return _U64.unpack_from(s, i)[0]


def _rot(v, r):
    return v if r == 0 else ((v >> r) | (v << (64 - r))) & _M64


def _h16(u, v):
    a = ((u ^ v) * _KMUL) & _M64
    a ^= a >> 47
    b = ((v ^ a) * _KMUL) & _M64
    b ^= b >> 47
    return (b * _KMUL) & _M64


def _shift_mix(v):
    return v ^ (v >> 47)


def _len0to16(s, p, n):
    if n > 8:
        a = _f64(s, p)
        b = _f64(s, p + n - 8)
        return _h16(a, _rot((b + n) & _M64, n)) ^ b
    if n >= 4:
        a = _U32.unpack_from(s, p)[0]
        return _h16(((a << 3) + n) & _M64, _U32.unpack_from(s, p + n - 4)[0])
    if n > 0:
        y = s[p] + (s[p + (n >> 1)] << 8)
        z = n + (s[p + n - 1] << 2)
        return (_shift_mix(((y * _K2) ^ (z * _K3)) & _M64) * _K2) & _M64
    return _K2


def _weak32(s, p, a, b):
    w, x, y, z = _U64.unpack_from(s, p)[0], _U64.unpack_from(s, p + 8)[0], \
        _U64.unpack_from(s, p + 16)[0], _U64.unpack_from(s, p + 24)[0]
    a = (a + w) & _M64
    b = _rot((b + a + z) & _M64, 21)
    c = a
    a = (a + x + y) & _M64
    b = (b + _rot(a, 44)) & _M64
    return (a + z) & _M64, (b + c) & _M64


def _city_murmur(s, p, n, a, b):
    c = d = 0
    rest = n - 16
    if rest <= 0:
        a = (_shift_mix((a * _K1) & _M64) * _K1) & _M64
        c = (b * _K1 + _len0to16(s, p, n)) & _M64
        d = _shift_mix((a + (_f64(s, p) if n >= 8 else c)) & _M64)
    else:
        c = _h16((_f64(s, p + n - 8) + _K1) & _M64, a)
        d = _h16((b + n) & _M64, (c + _f64(s, p + n - 16)) & _M64)
        a = (a + d) & _M64
        while True:
            a ^= (_shift_mix((_f64(s, p) * _K1) & _M64) * _K1) & _M64
            a = (a * _K1) & _M64
            b ^= a
            c ^= (_shift_mix((_f64(s, p + 8) * _K1) & _M64) * _K1) & _M64
            c = (c * _K1) & _M64
            d ^= c
            p += 16
            rest -= 16
            if rest <= 0:
                break
    a = _h16(a, c)
    b = _h16(d, b)
    return a ^ b, _h16(b, a)


def _city128_seed(s, p, n, x, y):
    if n < 128:
        return _city_murmur(s, p, n, x, y)
    z = (n * _K1) & _M64
    v0 = (_rot(y ^ _K1, 49) * _K1 + _f64(s, p)) & _M64
    v1 = (_rot(v0, 42) * _K1 + _f64(s, p + 8)) & _M64
    w0 = (_rot((y + z) & _M64, 35) * _K1 + x) & _M64
    w1 = (_rot((x + _f64(s, p + 88)) & _M64, 53) * _K1) & _M64
    while True:
        for _ in (0, 1):
            x = (_rot((x + y + v0 + _f64(s, p + 16)) & _M64, 37) * _K1) & _M64
            y = (_rot((y + v1 + _f64(s, p + 48)) & _M64, 42) * _K1) & _M64
            x ^= w1
            y ^= v0
            z = _rot(z ^ w0, 33)
            v0, v1 = _weak32(s, p, (v1 * _K1) & _M64, (x + w0) & _M64)
            w0, w1 = _weak32(s, p + 32, (z + w1) & _M64, y)
            z, x = x, z
            p += 64
        n -= 128
        if n < 128:
            break
    y = (y + _rot(w0, 37) * _K0 + z) & _M64
    x = (x + _rot((v0 + z) & _M64, 49) * _K0) & _M64
    done = 0
    while done < n:
        done += 32
        y = (_rot((y - x) & _M64, 42) * _K0 + v1) & _M64
        w0 = (w0 + _f64(s, p + n - done + 16)) & _M64
        x = (_rot(x, 49) * _K0 + w0) & _M64
        w0 = (w0 + v0) & _M64
        v0, v1 = _weak32(s, p + n - done, v0, v1)
    x = _h16(x, v0)
    y = _h16(y, w0)
    return ((_h16((x + v1) & _M64, w1) + y) & _M64,
            _h16((x + w1) & _M64, (y + v1) & _M64))


def city_hash128(data):
    """CityHash128 v1.0.2 as ClickHouse uses it for block checksums: (low, high)."""
    s, n = data, len(data)
    if n >= 16:
        return _city128_seed(s, 16, n - 16, _f64(s, 0) ^ _K3, _f64(s, 8))
    if n >= 8:
        return _city128_seed(b"", 0, 0, _f64(s, 0) ^ ((n * _K0) & _M64),
                             _f64(s, n - 8) ^ _K1)
    return _city128_seed(s, 0, n, _K0, _K1)


def _lz4_literals(data):
    n = len(data)
    if n < 15:
        return bytes([n << 4]) + data
    rest = n - 15
    return b"\xf0" + b"\xff" * (rest // 255) + bytes([rest % 255]) + data


def _lz4_decompress(src, size):
    out = bytearray()
    i, n = 0, len(src)
    while i < n:
        token = src[i]
        i += 1
        lit = token >> 4
        if lit == 15:
            while True:
                b = src[i]
                i += 1
                lit += b
                if b != 255:
                    break
        out += src[i:i + lit]
        i += lit
        if i >= n:
            break
        off = src[i] | (src[i + 1] << 8)
        i += 2
        ml = token & 15
        if ml == 15:
            while True:
                b = src[i]
                i += 1
                ml += b
                if b != 255:
                    break
        ml += 4
        start = len(out) - off
        if off <= 0 or start < 0:
            raise ValueError("bad LZ4 offset")
        if off >= ml:
            out += out[start:start + ml]
        else:
            pattern = bytes(out[start:])
            out += (pattern * (ml // off + 1))[:ml]
    if len(out) != size:
        raise ValueError("LZ4 block decompressed to %d bytes, expected %d" % (len(out), size))
    return bytes(out)


def native_compress(data, block_size=NATIVE_BLOCK_SIZE):
    parts = []
    for off in range(0, len(data), block_size):
        chunk = data[off:off + block_size]
        payload = _lz4_literals(chunk)
        block = BLOCK_HEADER.pack(0x82, 9 + len(payload), len(chunk)) + payload
        lo, hi = city_hash128(block)
        parts.append(_U64.pack(lo) + _U64.pack(hi) + block)
    return b"".join(parts)


def native_decompress(data, verify=True):
    parts, i, n = [], 0, len(data)
    while i < n:
        if n - i < 25:
            raise CHError(271, "Truncated compressed block", "CANNOT_DECOMPRESS")
        method, csize, usize = BLOCK_HEADER.unpack_from(data, i + 16)
        if csize < 9 or i + 16 + csize > n:
            raise CHError(271, "Truncated compressed block", "CANNOT_DECOMPRESS")
        block = data[i + 16:i + 16 + csize]
        if verify and city_hash128(block) != (_f64(data, i), _f64(data, i + 8)):
            raise CHError(40, "Checksum doesn't match: corrupted data", "CHECKSUM_DOESNT_MATCH")
        payload = block[9:]
        if method == 0x02:
            parts.append(payload)
        elif method == 0x82:
            try:
                parts.append(_lz4_decompress(payload, usize))
            except (ValueError, IndexError) as e:
                raise CHError(271, "Cannot decompress LZ4 block: %s" % e,
                              "CANNOT_DECOMPRESS") from None
        else:
            raise CHError(48, "Compression method 0x%02x is not supported by the local chDB "
                          "server (LZ4 and none are)" % method, "NOT_IMPLEMENTED")
        i += 16 + csize
    return b"".join(parts)


# --------------------------------------------------------------------------
# The engine (ctypes binding of libchdb.so)
# --------------------------------------------------------------------------

class _QueryAnalysis(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_uint32),
                ("statement_count", ctypes.c_uint32),
                ("flags", ctypes.c_uint32),
                ("query_class", ctypes.c_uint32)]


class Result:
    __slots__ = ("data", "rows_read", "bytes_read", "storage_rows_read",
                 "storage_bytes_read", "rows_written", "bytes_written",
                 "elapsed")

    def __init__(self):
        self.data = b""
        self.rows_read = self.bytes_read = 0
        self.storage_rows_read = self.storage_bytes_read = 0
        self.rows_written = self.bytes_written = 0
        self.elapsed = 0.0


class Engine:
    """libchdb.so: one engine per process, serialised access."""

    def __init__(self, lib_path, data_dir):
        os.environ["TZ"] = SERVER_TIMEZONE
        time.tzset()
        self.data_dir = os.path.abspath(data_dir)
        os.makedirs(self.data_dir, exist_ok=True)
        self.lib = L = ctypes.CDLL(lib_path)
        V, S, P, U64 = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_uint64
        PP, PS = ctypes.POINTER(P), ctypes.POINTER(S)

        def sig(name, restype, *argtypes):
            f = getattr(L, name)
            f.restype = restype
            f.argtypes = list(argtypes)

        sig("chdb_version", P)
        sig("chdb_set_signal_handlers_enabled", None, ctypes.c_int)
        sig("chdb_connect", ctypes.POINTER(V), ctypes.c_int, PP)
        sig("chdb_close_conn", None, ctypes.POINTER(V))
        sig("chdb_shutdown", ctypes.c_int)
        sig("chdb_query_n", V, V, P, S, P, S)
        sig("chdb_query_with_params_n", V, V, P, S, P, S, PP, PS, PP, PS, S)
        sig("chdb_stream_insert_n", V, V, P, S, P, S)
        sig("chdb_stream_insert_with_params_n", V, V, P, S, P, S, PP, PS, PP, PS, S)
        sig("chdb_stream_append", ctypes.c_int, V, V, S)
        sig("chdb_stream_done", V, V)
        sig("chdb_stream_insert_error", P, V)
        sig("chdb_destroy_insert_stream", None, V)
        sig("chdb_result_buffer", V, V)
        sig("chdb_result_length", S, V)
        sig("chdb_result_error", P, V)
        sig("chdb_result_elapsed", ctypes.c_double, V)
        for f in ("rows_read", "bytes_read", "storage_rows_read",
                  "storage_bytes_read", "rows_written", "bytes_written"):
            sig("chdb_result_" + f, U64, V)
        sig("chdb_destroy_query_result", None, V)
        sig("chdb_classify_query_n", ctypes.c_int, V, P, S, P, S,
            ctypes.POINTER(_QueryAnalysis))

        # Let Python own SIGTERM/SIGINT (clean shutdown closes the engine).
        L.chdb_set_signal_handlers_enabled(0)

        self.lock = threading.Lock()
        self.closed = False
        self.sessions = {}   # session_id -> [conn, expires_at, timeout]
        self.root = self._connect()   # keeps the engine booted
        self.library_version = L.chdb_version().decode()
        self.version = self._simple(self.root, "SELECT version()").strip()
        self.settings = set(self._simple(
            self.root, "SELECT name FROM system.settings").split())
        self.output_formats = {}
        self.input_formats = {}
        for line in self._simple(
                self.root, "SELECT name, is_input, is_output FROM system.formats"
        ).splitlines():
            name, is_in, is_out = line.split("\t")
            if is_out == "1":
                self.output_formats[name.lower()] = name
            if is_in == "1":
                self.input_formats[name.lower()] = name

    # -- low level ---------------------------------------------------------

    def _connect(self):
        args = ["clickhouse", "--path=" + self.data_dir] + CONNECTION_DEFAULTS
        argv = (ctypes.c_char_p * len(args))(*[a.encode() for a in args])
        conn = self.lib.chdb_connect(len(args), argv)
        if not conn:
            raise CHError(1001, "chDB could not open a connection on %s"
                          % self.data_dir, "STD_EXCEPTION", 503)
        return conn

    def _close(self, conn):
        try:
            self.lib.chdb_close_conn(conn)
        except Exception as e:  # noqa: BLE001
            log("close_conn failed: %r" % e)

    def _take_result(self, r):
        L = self.lib
        if not r:
            raise CHError(1001, "chDB returned no result", "STD_EXCEPTION")
        try:
            err = L.chdb_result_error(r)
            if err:
                raise CHError.from_engine(err.decode("utf-8", "replace"))
            res = Result()
            n = L.chdb_result_length(r)
            if n:
                res.data = ctypes.string_at(L.chdb_result_buffer(r), n)
            res.rows_read = L.chdb_result_rows_read(r)
            res.bytes_read = L.chdb_result_bytes_read(r)
            res.storage_rows_read = L.chdb_result_storage_rows_read(r)
            res.storage_bytes_read = L.chdb_result_storage_bytes_read(r)
            res.rows_written = L.chdb_result_rows_written(r)
            res.bytes_written = L.chdb_result_bytes_written(r)
            res.elapsed = L.chdb_result_elapsed(r)
            return res
        finally:
            L.chdb_destroy_query_result(r)

    @staticmethod
    def _param_arrays(params):
        names = [k.encode("utf-8") for k in params]
        values = [v.encode("utf-8") if isinstance(v, str) else v
                  for v in params.values()]
        n = len(names)
        return ((ctypes.c_char_p * n)(*names), (ctypes.c_size_t * n)(*map(len, names)),
                (ctypes.c_char_p * n)(*values), (ctypes.c_size_t * n)(*map(len, values)),
                n)

    def _query(self, conn, sql, fmt, params=None):
        if isinstance(sql, str):
            sql = sql.encode("utf-8")
        f = fmt.encode()
        if params:
            r = self.lib.chdb_query_with_params_n(
                conn.contents, sql, len(sql), f, len(f), *self._param_arrays(params))
        else:
            r = self.lib.chdb_query_n(conn.contents, sql, len(sql), f, len(f))
        return self._take_result(r)

    def _simple(self, conn, sql):
        return self._query(conn, sql, "TabSeparated").data.decode("utf-8")

    def _insert(self, conn, statement, fmt, data, params=None):
        L = self.lib
        f = fmt.encode()
        if params:
            st = L.chdb_stream_insert_with_params_n(
                conn.contents, statement, len(statement), f, len(f),
                *self._param_arrays(params))
        else:
            st = L.chdb_stream_insert_n(conn.contents, statement, len(statement), f, len(f))
        if not st:
            raise CHError(1001, "chDB could not start the insert", "STD_EXCEPTION")
        try:
            err = L.chdb_stream_insert_error(st)
            if err:
                raise CHError.from_engine(err.decode("utf-8", "replace"))
            view = memoryview(data)
            for off in range(0, len(data), APPEND_CHUNK):
                chunk = bytes(view[off:off + APPEND_CHUNK])
                if L.chdb_stream_append(st, chunk, len(chunk)) != 0:
                    err = L.chdb_stream_insert_error(st)
                    raise CHError.from_engine(
                        err.decode("utf-8", "replace") if err else
                        "Code: 1001. DB::Exception: insert stream failed. (STD_EXCEPTION)")
            return self._take_result(L.chdb_stream_done(st))
        finally:
            L.chdb_destroy_insert_stream(st)

    def _statement_count(self, sql):
        a = _QueryAnalysis()
        a.struct_size = ctypes.sizeof(_QueryAnalysis)
        if self.lib.chdb_classify_query_n(self.root.contents, sql, len(sql),
                                          None, 0, ctypes.byref(a)) != 0:
            return None
        return a.statement_count

    # -- sessions ------------------------------------------------------------

    def _expire_sessions(self, now):
        for sid in [s for s, v in self.sessions.items() if v[1] < now]:
            self._close(self.sessions.pop(sid)[0])

    # -- public --------------------------------------------------------------

    def execute(self, job):
        """Run one request (a Job). Returns a Result; raises CHError."""
        with self.lock:
            if self.closed:
                raise CHError(1001, "Server is shutting down", "STD_EXCEPTION", 503)
            now = time.monotonic()
            self._expire_sessions(now)
            if job.statement is not None and job.insert is None:
                count = self._statement_count(job.statement)
                if count is not None and count > 1:
                    raise CHError(62, "Syntax error (Multi-statements are not allowed)",
                                  "SYNTAX_ERROR")
            session = None
            if job.session_id:
                session = self.sessions.get(job.session_id)
                if session is None:
                    if job.session_check:
                        raise CHError(372, "Session %s not found" % job.session_id,
                                      "SESSION_NOT_FOUND")
                    session = [self._connect(), 0, job.session_timeout]
                    self.sessions[job.session_id] = session
                session[2] = job.session_timeout
                session[1] = now + job.session_timeout
                conn = session[0]
            else:
                conn = self._connect()
            try:
                if job.database:
                    self._query(conn, "USE " + quote_ident(job.database), DEFAULT_FORMAT)
                if job.settings:
                    sets = sorted(job.settings.items(), key=lambda kv: kv[0] == "readonly")
                    self._query(conn, "SET " + ", ".join(
                        "%s = %s" % (quote_ident(k), quote_string(v)) for k, v in sets),
                        DEFAULT_FORMAT)
                if job.insert is not None:
                    split, buf = job.insert
                    data = memoryview(buf)[split.data_start:]
                    return self._insert(conn, split.statement, split.format,
                                        data, job.params)
                return self._query(conn, job.statement, job.format, job.params)
            finally:
                if session is None:
                    self._close(conn)
                elif job.close_session:
                    self._close(self.sessions.pop(job.session_id)[0])

    def close(self):
        with self.lock:
            if self.closed:
                return
            self.closed = True
            for sid in list(self.sessions):
                self._close(self.sessions.pop(sid)[0])
            self._close(self.root)
            try:
                self.lib.chdb_shutdown()
            except Exception as e:  # noqa: BLE001
                log("chdb_shutdown failed: %r" % e)


class Job:
    __slots__ = ("statement", "insert", "format", "database", "settings",
                 "params", "session_id", "session_timeout", "session_check",
                 "close_session")

    def __init__(self):
        self.statement = None
        self.insert = None
        self.format = DEFAULT_FORMAT
        self.database = None
        self.settings = {}
        self.params = {}
        self.session_id = None
        self.session_timeout = 60
        self.session_check = False
        self.close_session = False


# --------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------

SECRET_PARAMS = {"user", "password", "quota_key"}
SECRET_HEADERS = {"authorization", "x-clickhouse-user", "x-clickhouse-key",
                  "x-clickhouse-quota", "cookie"}


def _truthy(v):
    return (v or "").strip().lower() in ("1", "true", "yes", "on")


def _decode_body(body, encoding):
    enc = (encoding or "").strip().lower()
    if not enc or enc == "identity" or not body:
        return body
    try:
        if enc in ("gzip", "x-gzip"):
            return gzip.decompress(body)
        if enc == "deflate":
            try:
                return zlib.decompress(body)
            except zlib.error:
                return zlib.decompress(body, -zlib.MAX_WBITS)
        if enc in ("xz", "lzma"):
            return lzma.decompress(body)
        if enc in ("bz2", "bzip2"):
            return bz2.decompress(body)
    except Exception as e:  # noqa: BLE001
        raise CHError(432, "Cannot decompress request body (%s): %s" % (enc, e),
                      "UNKNOWN_CODEC", 400)
    raise CHError(48, "Content-Encoding %s is not supported by the local chDB server"
                  % enc, "NOT_IMPLEMENTED", 501)


def _mask_secrets(sql):
    return SECRET_RE.sub(lambda m: m.group(1) + "'[HIDDEN]'", sql)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "chserver"
    sys_version = ""
    timeout = KEEP_ALIVE_IDLE_S

    # quiet the default access log; we log one line per query ourselves
    def log_message(self, fmt, *args):  # noqa: D401
        pass

    def log_error(self, fmt, *args):
        msg = fmt % args
        if "timed out" in msg:
            return
        log("http: " + msg)

    # -- plumbing --------------------------------------------------------------

    def _read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            parts = []
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    raise CHError(1001, "Unexpected end of chunked body", "STD_EXCEPTION", 400)
                try:
                    size = int(line.split(b";", 1)[0].strip(), 16)
                except ValueError:
                    raise CHError(1001, "Bad chunk size", "STD_EXCEPTION", 400) from None
                if size == 0:
                    while True:  # trailers
                        t = self.rfile.readline(65537)
                        if not t or t in (b"\r\n", b"\n"):
                            break
                    break
                chunk = self.rfile.read(size)
                if len(chunk) != size:
                    raise CHError(1001, "Unexpected end of chunked body", "STD_EXCEPTION", 400)
                parts.append(chunk)
                self.rfile.readline(3)
            body = b"".join(parts)
        else:
            length = self.headers.get("Content-Length")
            if length is None:
                body = b""
            else:
                try:
                    n = int(length)
                except ValueError:
                    raise CHError(1001, "Bad Content-Length", "STD_EXCEPTION", 400) from None
                body = self.rfile.read(n) if n > 0 else b""
                if len(body) != max(n, 0):
                    self.close_connection = True
                    raise CHError(1001, "Unexpected end of request body", "STD_EXCEPTION", 400)
        return _decode_body(body, self.headers.get("Content-Encoding"))

    def _send(self, status, body, headers, compress_ok=False):
        if compress_ok and body:
            accept = (self.headers.get("Accept-Encoding") or "").lower()
            if "gzip" in accept:
                body = gzip.compress(body, 3)
                headers.append(("Content-Encoding", "gzip"))
            elif "deflate" in accept:
                body = zlib.compress(body, 3)
                headers.append(("Content-Encoding", "deflate"))
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        if self.close_connection:
            self.send_header("Connection", "close")
        else:
            self.send_header("Connection", "Keep-Alive")
            self.send_header("Keep-Alive", "timeout=%d" % KEEP_ALIVE_ADVERTISED_S)
        self.end_headers()
        if body and self.command != "HEAD":
            self.wfile.write(body)

    def _send_error(self, err, query_id, extra=()):
        engine = self.server.engine
        body = err.body(engine.version).encode("utf-8")
        headers = [("Content-Type", "text/plain; charset=UTF-8"),
                   ("X-ClickHouse-Server-Display-Name", self.server.display_name),
                   ("X-ClickHouse-Exception-Code", str(err.code))]
        if query_id:
            headers.append(("X-ClickHouse-Query-Id", query_id))
        headers.append(("X-ClickHouse-Timezone", SERVER_TIMEZONE))
        headers.extend(extra)
        self._send(err.http_status(), body, headers)

    # -- verbs ---------------------------------------------------------------

    def do_GET(self):
        self._handle(read_only=True)

    def do_HEAD(self):
        self._handle(read_only=True)

    def do_POST(self):
        self._handle(read_only=False)

    do_PUT = do_POST

    def _handle(self, read_only):
        url = urlsplit(self.path)
        path = url.path.rstrip("/") or "/"
        if path in ("/ping", "/replicas_status") or (
                path == "/" and self.command in ("GET", "HEAD") and "query=" not in url.query):
            if self.command != "GET" and self.command != "HEAD":
                try:
                    self._read_body()
                except CHError:
                    self.close_connection = True
            self._send(200, b"Ok.\n", [("Content-Type", "text/html; charset=UTF-8")])
            return
        if path != "/":
            try:
                self._read_body()
            except CHError:
                self.close_connection = True
            self._send_error(CHError(
                0, "There is no handle %s\n\nUse / or /ping for health checks." % url.path,
                None, 404), None)
            return
        params = {}
        for k, v in parse_qsl(url.query, keep_blank_values=True):
            params[k] = v
        if self.server.verbose:
            shown = {k: ("***" if k in SECRET_PARAMS else v[:200])
                     for k, v in params.items() if k != "query"}
            hdrs = {k: v for k, v in self.headers.items()
                    if k.lower() not in SECRET_HEADERS}
            log("request %s %s params=%s headers=%s" % (
                self.command, url.path, json.dumps(shown), json.dumps(hdrs)))
        query_id = params.get("query_id") or str(uuid.uuid4())
        started = time.monotonic()
        try:
            body = self._read_body()
        except CHError as e:
            self.close_connection = True
            self._send_error(e, query_id)
            return
        except (OSError, ValueError) as e:
            self.close_connection = True
            log("query_id=%s reading the request failed: %s" % (query_id, e))
            return
        self._run(params, body, query_id, started, read_only)

    def _run(self, params, body, query_id, started, read_only):
        engine = self.server.engine
        job = Job()
        hdr = self.headers
        log_sql = (params.get("query") or "").encode("utf-8") or body[:MAX_LOG_SQL * 4]
        try:
            if _truthy(params.get("decompress")) and body:
                body = native_decompress(body, verify=not _truthy(params.get(
                    "http_native_compression_disable_checksumming_on_decompress")))
                if not params.get("query"):
                    log_sql = body[:MAX_LOG_SQL * 4]
            job.format = (params.get("default_format") or hdr.get("X-ClickHouse-Format")
                          or DEFAULT_FORMAT)
            job.database = params.get("database") or hdr.get("X-ClickHouse-Database") or None
            for k, v in params.items():
                if k.startswith("param_"):
                    job.params[k[6:]] = v
                elif k in RESERVED_PARAMS:
                    continue
                elif k in engine.settings:
                    job.settings[k] = v
            sid = params.get("session_id")
            if sid:
                job.session_id = sid
                try:
                    job.session_timeout = int(params.get("session_timeout") or 60)
                except ValueError:
                    raise CHError(374, "Invalid session timeout: '%s'"
                                  % params.get("session_timeout"),
                                  "INVALID_SESSION_TIMEOUT") from None
                job.session_check = _truthy(params.get("session_check"))
                job.close_session = _truthy(params.get("close_session"))
                if not 0 < job.session_timeout <= 86400:
                    raise CHError(374, "Invalid session timeout: '%s'"
                                  % params.get("session_timeout"),
                                  "INVALID_SESSION_TIMEOUT")
            if read_only:
                # As ClickHouse: GET implies readonly=2 (reads and SETs only).
                job.settings["readonly"] = "2"

            query = params.get("query")
            if query:
                text = query.encode("utf-8")
                if body:
                    text = text + b"\n" + body
            else:
                text = body
            if not text.strip():
                raise CHError(62, "Empty query", "SYNTAX_ERROR", 400)
            split = split_insert(text)
            out_format = job.format
            if split is not None:
                job.insert = (split, text)
                log_sql = split.statement + b" FORMAT " + split.format.encode()
                if read_only:
                    raise CHError(164, "Cannot execute query in readonly mode. "
                                  "For queries over HTTP, method GET implies readonly. "
                                  "You should use method POST for modifying queries",
                                  "READONLY")
            else:
                job.statement = text
                log_sql = text[:MAX_LOG_SQL * 4]
                out_format = detect_format(text, engine.output_formats) or job.format
            result = engine.execute(job)
        except CHError as e:
            ms = (time.monotonic() - started) * 1000
            self._log(query_id, log_sql, ms, 0, e)
            self._send_error(e, query_id)
            return
        except Exception as e:  # noqa: BLE001 - report, never crash the thread
            ms = (time.monotonic() - started) * 1000
            err = CHError(1001, "Internal error in the local chDB server: %r" % e,
                          "STD_EXCEPTION")
            self._log(query_id, log_sql, ms, 0, err)
            self._send_error(err, query_id)
            return
        elapsed_ns = int((time.monotonic() - started) * 1e9)
        is_insert = job.insert is not None
        result_rows = result.rows_written if is_insert else result.rows_read
        summary = {
            "read_rows": str(result.storage_rows_read),
            "read_bytes": str(result.storage_bytes_read),
            "written_rows": str(result.rows_written),
            "written_bytes": str(result.bytes_written),
            "total_rows_to_read": str(result.storage_rows_read),
            "result_rows": str(result_rows),
            "result_bytes": str(result.bytes_written if is_insert else len(result.data)),
            "elapsed_ns": str(elapsed_ns),
        }
        timezone = job.settings.get("session_timezone") or SERVER_TIMEZONE
        headers = [
            ("Content-Type", content_type_for(out_format)),
            ("X-ClickHouse-Server-Display-Name", self.server.display_name),
            ("X-ClickHouse-Query-Id", query_id),
            ("X-ClickHouse-Format", out_format),
            ("X-ClickHouse-Timezone", timezone),
            ("X-ClickHouse-Summary", json.dumps(summary, separators=(",", ":"))),
        ]
        if job.session_id:
            headers.append(("X-ClickHouse-Session-Id", job.session_id))
        wrote = is_insert or result.rows_written > 0
        self._log(query_id, log_sql, elapsed_ns / 1e6,
                  result.rows_written if wrote else result.rows_read, None, written=wrote)
        data = result.data
        if _truthy(params.get("compress")):
            data = native_compress(data)
            headers[0] = ("Content-Type", "application/octet-stream")
        self._send(200, data, headers,
                   compress_ok=_truthy(params.get("enable_http_compression")))

    def _log(self, query_id, sql, ms, rows, err, written=False):
        if isinstance(sql, (bytes, bytearray, memoryview)):
            sql = bytes(sql[:MAX_LOG_SQL * 4]).decode("utf-8", "replace")
        sql = _mask_secrets(" ".join(sql.split()))[:MAX_LOG_SQL]
        line = "query_id=%s ms=%.1f %s=%d sql=%s" % (
            query_id, ms, "written_rows" if written else "rows", rows, json.dumps(sql))
        if err is not None:
            first = err.message.strip().splitlines()[0] if err.message.strip() else ""
            line += " error=%s" % json.dumps("Code: %d. %s%s" % (
                err.code, first[:300], " (%s)" % err.name if err.name else ""))
        log(line)


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, addr, engine, verbose=False):
        self.engine = engine
        self.verbose = verbose
        self.display_name = socket.gethostname() or "localhost"
        super().__init__(addr, Handler)

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        log("http: unhandled error from %s: %r" % (client_address[0], exc))


def _write_port_file(path, port):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8123, help="0 = any free port")
    ap.add_argument("--data", required=True, help="data directory (persistent)")
    ap.add_argument("--lib", required=True, help="path to libchdb.so")
    ap.add_argument("--port-file", help="write the listening port here once ready")
    ap.add_argument("--verbose", action="store_true",
                    help="also log each request's URL parameters and headers "
                         "(credentials are never logged)")
    args = ap.parse_args(argv)

    if not os.path.isfile(args.lib):
        print("chserver: libchdb.so not found at %s (run install.sh)" % args.lib,
              file=sys.stderr)
        return 2
    os.makedirs(args.data, exist_ok=True)
    lock_file = open(os.path.join(args.data, ".chserver.lock"), "w")
    try:
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        print("chserver: data directory %s is in use by another chserver" % args.data,
              file=sys.stderr)
        return 2

    # Bind first so a taken port fails fast, before booting the engine.
    try:
        server = Server((args.host, args.port), None, verbose=args.verbose)
    except OSError as e:
        print("chserver: cannot listen on %s:%d: %s" % (args.host, args.port, e.strerror or e),
              file=sys.stderr)
        return 3
    try:
        engine = Engine(args.lib, args.data)
    except Exception as e:  # noqa: BLE001
        server.server_close()
        print("chserver: cannot start the chDB engine: %s" % e, file=sys.stderr)
        return 4
    server.engine = engine
    port = server.server_address[1]

    stop = threading.Event()

    def on_signal(signum, _frame):
        log("received signal %d, shutting down" % signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    serving = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                               name="http", daemon=True)
    serving.start()
    if args.port_file:
        _write_port_file(args.port_file, port)
    log("listening on http://%s:%d (engine %s, chDB %s, data %s, pid %d)" % (
        args.host, port, engine.version, engine.library_version, engine.data_dir,
        os.getpid()))
    try:
        while not stop.wait(0.5):
            pass
    finally:
        server.shutdown()
        server.server_close()
        engine.close()
        if args.port_file:
            try:
                os.unlink(args.port_file)
            except OSError:
                pass
        log("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
