/* One scan of an SQLite query → rows per group for several groupings at once, hashed in C. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <dlfcn.h>
#include <pthread.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
typedef struct sqlite3_value sqlite3_value;
#define SQLITE_OK 0
#define SQLITE_ROW 100
#define SQLITE_DONE 101
#define SQLITE_INTEGER 1
#define SQLITE_FLOAT 2
#define SQLITE_TEXT 3
#define SQLITE_BLOB 4
#define SQLITE_NULL 5
#define SQLITE_OPEN_READONLY 0x00000001
#define SQLITE_OPEN_URI 0x00000040
#define SQLITE_DENY 1
#define SQLITE_LIMIT_ATTACHED 7
#define SQLITE_OPEN_NOMUTEX 0x00008000
#define SQLITE_TRANSIENT ((void (*)(void *))-1)

/* The SQLite functions used: (return type, name after "sqlite3_", parameters) — one list
   declares the pointers and looks them up. */
#define SQLITE_FUNCTIONS(X) \
    X(int, open_v2, (const char *, sqlite3 **, int, const char *)) \
    X(int, close_v2, (sqlite3 *)) \
    X(int, prepare_v2, (sqlite3 *, const char *, int, sqlite3_stmt **, const char **)) \
    X(int, step, (sqlite3_stmt *)) \
    X(int, finalize, (sqlite3_stmt *)) \
    X(int, column_count, (sqlite3_stmt *)) \
    X(sqlite3_value *, column_value, (sqlite3_stmt *, int)) \
    X(int, bind_parameter_count, (sqlite3_stmt *)) \
    X(const char *, bind_parameter_name, (sqlite3_stmt *, int)) \
    X(int, bind_int64, (sqlite3_stmt *, int, long long)) \
    X(int, bind_double, (sqlite3_stmt *, int, double)) \
    X(int, bind_text, (sqlite3_stmt *, int, const char *, int, void (*)(void *))) \
    X(int, bind_blob, (sqlite3_stmt *, int, const void *, int, void (*)(void *))) \
    X(int, bind_null, (sqlite3_stmt *, int)) \
    X(const char *, errmsg, (sqlite3 *)) \
    X(int, value_type, (sqlite3_value *)) \
    X(long long, value_int64, (sqlite3_value *)) \
    X(double, value_double, (sqlite3_value *)) \
    X(const unsigned char *, value_text, (sqlite3_value *)) \
    X(const void *, value_blob, (sqlite3_value *)) \
    X(int, value_bytes, (sqlite3_value *)) \
    X(int, set_authorizer, (sqlite3 *, int (*)(void *, int, const char *, const char *, const char *, const char *), void *)) \
    X(void, progress_handler, (sqlite3 *, int, int (*)(void *), void *)) \
    X(int, limit, (sqlite3 *, int, int)) \
    X(int, stmt_readonly, (sqlite3_stmt *))

#define DECLARE(type, name, params) type (*name) params;
static struct { SQLITE_FUNCTIONS(DECLARE) } S;
#undef DECLARE

/* the SQLite library Python's sqlite3 module loaded (or loads it): 0, or -1 when a function is missing */
static int load_sqlite(void) {
    void *lib = dlopen("libsqlite3.so.0", RTLD_NOW | RTLD_NOLOAD);
    if (lib == NULL) lib = dlopen("libsqlite3.so.0", RTLD_NOW);
    if (lib == NULL) return -1;
#define LOOK_UP(type, name, params) \
    if ((*(void **)&S.name = dlsym(lib, "sqlite3_" #name)) == NULL) return -1;
    SQLITE_FUNCTIONS(LOOK_UP)
#undef LOOK_UP
    return 0;
}

/* ---- values ---------------------------------------------------------------------------- */

#define LIMIT 1e9
#define INEXACT 99

typedef struct {
    int type;          /* SQLITE_* */
    int64_t i;
    double f;
    int64_t units;     /* value in millionths when decimals < INEXACT */
    int decimals;      /* decimals of Decimal(repr(value)); INEXACT when not summable exactly */
} Value;

/* SQLite's round(x) for 0 digits: half away from zero through a 64-bit integer */
static double sqlite_round(double r) {
    if (r >= 0 && r < 9.2e18) return (double)(int64_t)(r + 0.5);
    if (r < 0 && -r < 9.2e18) return -(double)(int64_t)((-r) + 0.5);
    return r;
}

/* a column of the current row (the connection is this thread's alone, so its values may be read directly) */
static void read_value(sqlite3_value *sv, Value *v) {
    v->type = S.value_type(sv);
    v->decimals = INEXACT;
    v->units = 0;
    if (v->type == SQLITE_INTEGER) {
        v->i = S.value_int64(sv);
        v->f = (double)v->i;
        if (v->i > -1000000000LL && v->i < 1000000000LL) {
            v->units = v->i * 1000000LL;
            v->decimals = 0;
        }
    } else if (v->type == SQLITE_FLOAT) {
        double x = S.value_double(sv);
        v->f = x;
        if (fabs(x) < LIMIT) {
            double r = sqlite_round(x * 1000000.0);
            if (r / 1000000.0 == x) {
                int64_t u = (int64_t)r;
                int k;
                v->units = u;
                if (u % 100000 == 0) k = 1;
                else if (u % 10000 == 0) k = 2;
                else if (u % 1000 == 0) k = 3;
                else if (u % 100 == 0) k = 4;
                else if (u % 10 == 0) k = 5;
                else k = 6;
                v->decimals = k;
            }
        }
    }
}

/* ---- aggregates per group and value column ---------------------------------------------- */

typedef struct {
    int64_t count, isum, units;
    double fsum;
    int decimals;      /* max seen; INEXACT once a value could not be summed exactly */
    int flags;         /* 1 integer overflow, 2 units overflow, 4 text or blob, 8 a real seen */
    int min_type, max_type;
    int64_t min_i, max_i;
    double min_f, max_f;
} Agg;

static int less(int ta, int64_t ia, double fa, int tb, int64_t ib, double fb) {
    if (ta == SQLITE_INTEGER && tb == SQLITE_INTEGER) return ia < ib;
    if (ta == SQLITE_FLOAT && tb == SQLITE_FLOAT) return fa < fb;
    long double a = ta == SQLITE_INTEGER ? (long double)ia : (long double)fa;
    long double b = tb == SQLITE_INTEGER ? (long double)ib : (long double)fb;
    return a < b;
}

#define NEED_MIN 1
#define NEED_MAX 2

/* a value into its group's aggregate; min and max only where `need` asks for them */
static void add(Agg *a, const Value *v, int need) {
    if (v->type == SQLITE_NULL) return;
    a->count++;
    if (v->type == SQLITE_TEXT || v->type == SQLITE_BLOB) {
        a->flags |= 4;
        return;
    }
    if (v->type == SQLITE_INTEGER) {
        if (__builtin_add_overflow(a->isum, v->i, &a->isum)) a->flags |= 1;
    } else {
        a->flags |= 8;
    }
    a->fsum += v->f;
    if (v->decimals >= INEXACT) a->decimals = INEXACT;
    else {
        if (v->decimals > a->decimals) a->decimals = v->decimals;
        if (__builtin_add_overflow(a->units, v->units, &a->units)) a->flags |= 2;
    }
    if ((need & NEED_MIN) && (a->min_type == 0 || less(v->type, v->i, v->f, a->min_type, a->min_i, a->min_f))) {
        a->min_type = v->type; a->min_i = v->i; a->min_f = v->f;
    }
    if ((need & NEED_MAX) && (a->max_type == 0 || less(a->max_type, a->max_i, a->max_f, v->type, v->i, v->f))) {
        a->max_type = v->type; a->max_i = v->i; a->max_f = v->f;
    }
}

/* ---- one grouping: a hash table of serialized keys ---------------------------------------- */

typedef struct {
    uint64_t hash;
    uint32_t group;    /* group index + 1; 0: empty */
    uint32_t len;      /* the length of its key */
    size_t at;         /* where its key starts in the arena */
} Slot;

typedef struct {
    int nkeys;
    int *keys;                  /* column of each key */
    Slot *slots;
    size_t cap, ngroups;
    char *arena;                /* the serialized keys, one after another */
    size_t arena_len, arena_cap;
    size_t *key_at;             /* per group: offset and length of its key in the arena */
    uint32_t *key_len;
    int64_t *rows;              /* per group: its rows */
    Agg *aggs;                  /* per group: nvalues aggregates */
    size_t groups_cap;
    uint32_t *direct;           /* one integer key in [0, DIRECT): group index + 1 by value */
} Grain;

#define DIRECT 4096

static uint64_t hash_bytes(const char *p, size_t n) {
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    h = (h ^ w) * 0x94d049bb133111ebULL;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return h;
}

typedef struct { char *p; size_t len, cap; } Buf;

static int buf_grow(Buf *b, size_t n) {
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->len + n) cap *= 2;
    char *p = realloc(b->p, cap);
    if (p == NULL) return -1;
    b->p = p;
    b->cap = cap;
    return 0;
}

/* room for n more bytes (the common case inline: a key fits the buffer it had before) */
static inline int buf_room(Buf *b, size_t n) {
    return b->len + n <= b->cap ? 0 : buf_grow(b, n);
}

static int buf_put(Buf *b, const void *data, size_t n) {
    if (buf_room(b, n)) return -1;
    memcpy(b->p + b->len, data, n);
    b->len += n;
    return 0;
}

/* a key column in a form where equal SQLite values (1 and 1.0 too) are equal bytes */
static int put_key(Buf *b, sqlite3_value *sv) {
    int type = S.value_type(sv);
    if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
        int64_t i = 0;
        double f = 0;
        if (type == SQLITE_FLOAT) {
            f = S.value_double(sv);
            if (f >= -9.2e18 && f <= 9.2e18 && f == (double)(int64_t)f) { i = (int64_t)f; type = SQLITE_INTEGER; }
        } else i = S.value_int64(sv);
        if (buf_room(b, 9)) return -1;
        b->p[b->len] = (char)type;
        if (type == SQLITE_INTEGER) memcpy(b->p + b->len + 1, &i, 8);
        else memcpy(b->p + b->len + 1, &f, 8);
        b->len += 9;
        return 0;
    }
    if (type == SQLITE_NULL) {
        if (buf_room(b, 1)) return -1;
        b->p[b->len++] = (char)type;
        return 0;
    }
    const void *p = type == SQLITE_TEXT ? (const void *)S.value_text(sv) : S.value_blob(sv);
    uint32_t n = (uint32_t)S.value_bytes(sv);
    if (buf_room(b, 5 + (size_t)n)) return -1;
    b->p[b->len] = (char)type;
    memcpy(b->p + b->len + 1, &n, 4);
    if (n) memcpy(b->p + b->len + 5, p, n);
    b->len += 5 + (size_t)n;
    return 0;
}

static int grain_grow(Grain *g, int nvalues) {
    size_t cap = g->cap ? g->cap * 2 : 1024;
    Slot *slots = calloc(cap, sizeof(Slot));
    if (slots == NULL) return -1;
    for (size_t i = 0; i < g->cap; i++) {
        if (!g->slots[i].group) continue;
        size_t j = g->slots[i].hash & (cap - 1);
        while (slots[j].group) j = (j + 1) & (cap - 1);
        slots[j] = g->slots[i];
    }
    free(g->slots);
    g->slots = slots;
    g->cap = cap;
    (void)nvalues;
    return 0;
}

/* the group of the key in `b` (added when new): its index, or -1 when out of memory */
static int64_t grain_find(Grain *g, const Buf *b, int nvalues, size_t max_groups) {
    if ((g->ngroups + 1) * 2 > g->cap && grain_grow(g, nvalues)) return -1;
    uint64_t h = hash_bytes(b->p, b->len);
    size_t j = h & (g->cap - 1);
    for (;;) {
        Slot *s = &g->slots[j];
        if (!s->group) break;
        size_t k = s->group - 1;
        if (s->hash == h && s->len == b->len && memcmp(g->arena + s->at, b->p, b->len) == 0)
            return (int64_t)k;
        j = (j + 1) & (g->cap - 1);
    }
    if (g->ngroups >= max_groups) return -2;
    if (g->ngroups == g->groups_cap) {
        size_t cap = g->groups_cap ? g->groups_cap * 2 : 256;
        size_t *key_at = realloc(g->key_at, cap * sizeof(size_t));
        if (key_at == NULL) return -1;
        g->key_at = key_at;
        uint32_t *key_len = realloc(g->key_len, cap * sizeof(uint32_t));
        if (key_len == NULL) return -1;
        g->key_len = key_len;
        int64_t *rows = realloc(g->rows, cap * sizeof(int64_t));
        if (rows == NULL) return -1;
        g->rows = rows;
        Agg *aggs = realloc(g->aggs, cap * (size_t)(nvalues ? nvalues : 1) * sizeof(Agg));
        if (aggs == NULL) return -1;
        g->aggs = aggs;
        g->groups_cap = cap;
    }
    Buf arena = {g->arena, g->arena_len, g->arena_cap};
    if (buf_put(&arena, b->p, b->len)) return -1;
    g->arena = arena.p; g->arena_cap = arena.cap;
    size_t k = g->ngroups++;
    g->key_at[k] = g->arena_len;
    g->key_len[k] = (uint32_t)b->len;
    g->arena_len = arena.len;
    g->rows[k] = 0;
    memset(&g->aggs[k * (size_t)nvalues], 0, (size_t)nvalues * sizeof(Agg));
    g->slots[j].hash = h;
    g->slots[j].group = (uint32_t)(k + 1);
    g->slots[j].len = (uint32_t)b->len;
    g->slots[j].at = g->key_at[k];
    return (int64_t)k;
}

static void grain_free(Grain *g) {
    free(g->keys); free(g->slots); free(g->arena); free(g->key_at); free(g->key_len);
    free(g->rows); free(g->aggs); free(g->direct);
}

/* ---- Python ---------------------------------------------------------------------------- */

static PyObject *Unavailable;

static PyObject *key_values(const char *p, uint32_t n, int nkeys) {
    PyObject *t = PyTuple_New(nkeys);
    if (t == NULL) return NULL;
    size_t at = 0;
    for (int i = 0; i < nkeys; i++) {
        unsigned char tag = (unsigned char)p[at++];
        PyObject *o;
        if (tag == SQLITE_INTEGER) { int64_t v; memcpy(&v, p + at, 8); at += 8; o = PyLong_FromLongLong(v); }
        else if (tag == SQLITE_FLOAT) { double v; memcpy(&v, p + at, 8); at += 8; o = PyFloat_FromDouble(v); }
        else if (tag == SQLITE_NULL) { o = Py_NewRef(Py_None); }
        else {
            uint32_t len; memcpy(&len, p + at, 4); at += 4;
            o = tag == SQLITE_TEXT ? PyUnicode_DecodeUTF8(p + at, len, "surrogateescape")
                                   : PyBytes_FromStringAndSize(p + at, len);
            at += len;
        }
        if (o == NULL) { Py_DECREF(t); return NULL; }
        PyTuple_SET_ITEM(t, i, o);
    }
    (void)n;
    return t;
}

static PyObject *number(int type, int64_t i, double f) {
    if (type == 0) Py_RETURN_NONE;
    return type == SQLITE_INTEGER ? PyLong_FromLongLong(i) : PyFloat_FromDouble(f);
}

static PyObject *agg_tuple(const Agg *a) {
    /* (count, integer sum, float sum, units, decimals, flags, min, max) */
    return Py_BuildValue("(LLdLiiNN)", (long long)a->count, (long long)a->isum, a->fsum,
                         (long long)a->units, a->decimals, a->flags,
                         number(a->min_type, a->min_i, a->min_f), number(a->max_type, a->max_i, a->max_f));
}

static int bind_params(sqlite3_stmt *st, PyObject *params) {
    int n = S.bind_parameter_count(st);
    for (int i = 1; i <= n; i++) {
        const char *name = S.bind_parameter_name(st, i);
        if (name == NULL) { PyErr_SetString(PyExc_ValueError, "positional parameters are not supported"); return -1; }
        PyObject *v = PyDict_GetItemString(params, name + 1);
        if (v == NULL) { PyErr_Format(PyExc_KeyError, "no value for parameter %s", name); return -1; }
        int rc;
        if (v == Py_None) rc = S.bind_null(st, i);
        else if (PyBool_Check(v) || PyLong_Check(v)) {
            long long x = PyLong_AsLongLong(v);
            if (x == -1 && PyErr_Occurred()) return -1;
            rc = S.bind_int64(st, i, x);
        } else if (PyFloat_Check(v)) rc = S.bind_double(st, i, PyFloat_AS_DOUBLE(v));
        else if (PyUnicode_Check(v)) {
            Py_ssize_t len;
            const char *s = PyUnicode_AsUTF8AndSize(v, &len);
            if (s == NULL) return -1;
            rc = S.bind_text(st, i, s, (int)len, SQLITE_TRANSIENT);
        } else if (PyBytes_Check(v)) {
            rc = S.bind_blob(st, i, PyBytes_AS_STRING(v), (int)PyBytes_GET_SIZE(v), SQLITE_TRANSIENT);
        } else { PyErr_Format(PyExc_TypeError, "parameter %s: unsupported type %s", name, Py_TYPE(v)->tp_name); return -1; }
        if (rc != SQLITE_OK) { PyErr_Format(PyExc_ValueError, "cannot bind parameter %s", name); return -1; }
    }
    return 0;
}

/* ---- read-only, as engine.data.sqlite_guard: a whitelist of SQLite's authorizer actions -- */

#define A_DELETE 9
#define A_INSERT 18
#define A_PRAGMA 19
#define A_READ 20
#define A_SELECT 21
#define A_TRANSACTION 22
#define A_UPDATE 23
#define A_ATTACH 24
#define A_FUNCTION 31
#define A_RECURSIVE 33

/* the first action refused while preparing (0: none), for the message */
typedef struct { int action; } Refusal;

static const char *REFUSED_FUNCTIONS[] = {"load_extension", "fts3_tokenizer", "readfile", "writefile", "edit", NULL};

/* only reading: SELECT, reading columns, recursive CTEs, functions that neither load code nor
   take pointers; never ATTACH (VACUUM INTO too), a write, a PRAGMA, a transaction */
static int authorize(void *arg, int action, const char *a1, const char *a2, const char *db, const char *trigger) {
    (void)a1; (void)db; (void)trigger;
    int ok = action == A_SELECT || action == A_READ || action == A_RECURSIVE;
    if (action == A_FUNCTION) {
        ok = 1;
        for (const char **f = REFUSED_FUNCTIONS; *f; f++)
            if (a2 != NULL && strcasecmp(a2, *f) == 0) ok = 0;
    }
    Refusal *r = arg;
    if (!ok && r->action == 0) r->action = action;
    return ok ? SQLITE_OK : SQLITE_DENY;
}

static const char *refusal_words(int action) {
    switch (action) {
    case A_ATTACH: return "open or create another database file (ATTACH DATABASE or VACUUM)";
    case A_INSERT: case A_UPDATE: case A_DELETE: return "write to the database";
    case A_PRAGMA: return "change or read a setting of SQLite itself (PRAGMA)";
    case A_TRANSACTION: return "control a transaction";
    case A_FUNCTION: return "call a function that loads code or changes SQLite itself";
    default: return "do something other than reading";
    }
}

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- one part of the scan: a connection, its statement and its hash tables ---------------- */

typedef struct {
    sqlite3 *db;
    sqlite3_stmt *st;
    Grain *grains;
    Py_ssize_t ngrains, nvalues;
    const int *vcols;
    const int *needs;  /* per value column: NEED_MIN | NEED_MAX */
    int ncols;
    size_t max_groups;
    volatile char *stop;
    double deadline;   /* monotonic seconds after which the statement is stopped; 0: never */
    Refusal refusal;
    int failed;        /* 1 out of memory, 2 too many groups, 3 cancelled, 4 the statement failed, 5 timed out */
} Part;

/* SQLite's progress handler: stop a statement that is cancelled or over its time (even one
   that gives no rows, which the row loop never sees) */
static int progress(void *arg) {
    Part *p = arg;
    if (p->stop != NULL && p->stop[0]) { p->failed = 3; return 1; }
    if (p->deadline > 0 && now_seconds() > p->deadline) { p->failed = 5; return 1; }
    return 0;
}

static void *run_part(void *arg) {
    Part *p = arg;
    sqlite3_value **row = calloc((size_t)p->ncols + 1, sizeof(sqlite3_value *));
    Value *vals = calloc((size_t)p->nvalues + 1, sizeof(Value));
    Buf key = {0};
    int64_t seen = 0;
    int rc = SQLITE_ROW;
    if (row == NULL || vals == NULL) p->failed = 1;
    while (!p->failed && (rc = S.step(p->st)) == SQLITE_ROW) {
        if ((++seen & 4095) == 0 && p->stop != NULL && p->stop[0]) { p->failed = 3; break; }
        for (int c = 0; c < p->ncols; c++) row[c] = S.column_value(p->st, c);
        for (Py_ssize_t i = 0; i < p->nvalues; i++) read_value(row[p->vcols[i]], &vals[i]);
        for (Py_ssize_t g = 0; g < p->ngrains; g++) {
            Grain *gr = &p->grains[g];
            int64_t at = -1, small = -1;
            if (gr->nkeys == 1 && S.value_type(row[gr->keys[0]]) == SQLITE_INTEGER) {
                /* a small integer key (a quantity, a year, a code): found by its value, no hashing */
                int64_t v = S.value_int64(row[gr->keys[0]]);
                if (v >= 0 && v < DIRECT) {
                    if (gr->direct == NULL && (gr->direct = calloc(DIRECT, sizeof(uint32_t))) == NULL) {
                        p->failed = 1;
                        break;
                    }
                    small = v;
                    at = (int64_t)gr->direct[v] - 1;
                }
            }
            if (at < 0) {
                key.len = 0;
                for (int k = 0; k < gr->nkeys; k++)
                    if (put_key(&key, row[gr->keys[k]])) { p->failed = 1; break; }
                if (p->failed) break;
                at = grain_find(gr, &key, (int)p->nvalues, p->max_groups);
                if (at < 0) { p->failed = at == -2 ? 2 : 1; break; }
                if (small >= 0) gr->direct[small] = (uint32_t)at + 1;
            }
            gr->rows[at]++;
            Agg *aggs = &gr->aggs[(size_t)at * (size_t)p->nvalues];
            for (Py_ssize_t i = 0; i < p->nvalues; i++) add(&aggs[i], &vals[i], p->needs[i]);
        }
    }
    if (!p->failed && rc != SQLITE_DONE) p->failed = 4;
    free(row); free(vals); free(key.p);
    return NULL;
}

static void merge_agg(Agg *a, const Agg *b) {
    if (b->count == 0 && b->min_type == 0) { a->flags |= b->flags; return; }
    a->count += b->count;
    if (__builtin_add_overflow(a->isum, b->isum, &a->isum)) a->flags |= 1;
    a->fsum += b->fsum;
    if (__builtin_add_overflow(a->units, b->units, &a->units)) a->flags |= 2;
    if (b->decimals > a->decimals) a->decimals = b->decimals;
    a->flags |= b->flags;
    if (b->min_type && (a->min_type == 0 || less(b->min_type, b->min_i, b->min_f, a->min_type, a->min_i, a->min_f))) {
        a->min_type = b->min_type; a->min_i = b->min_i; a->min_f = b->min_f;
    }
    if (b->max_type && (a->max_type == 0 || less(a->max_type, a->max_i, a->max_f, b->max_type, b->max_i, b->max_f))) {
        a->max_type = b->max_type; a->max_i = b->max_i; a->max_f = b->max_f;
    }
}

/* the groups of `from` added into `into` (same grouping): 0, or a failure code */
static int merge_grain(Grain *into, const Grain *from, int nvalues, size_t max_groups) {
    for (size_t k = 0; k < from->ngroups; k++) {
        Buf key = {from->arena + from->key_at[k], from->key_len[k], from->key_len[k]};
        int64_t at = grain_find(into, &key, nvalues, max_groups);
        if (at < 0) return at == -2 ? 2 : 1;
        into->rows[at] += from->rows[k];
        for (int i = 0; i < nvalues; i++)
            merge_agg(&into->aggs[(size_t)at * nvalues + i], &from->aggs[k * (size_t)nvalues + i]);
    }
    return 0;
}

static void part_free(Part *p) {
    if (p->st) S.finalize(p->st);
    if (p->db) S.close_v2(p->db);
    if (p->grains) { for (Py_ssize_t g = 0; g < p->ngrains; g++) grain_free(&p->grains[g]); free(p->grains); }
}

static PyObject *scan(PyObject *self, PyObject *args) {
    const char *uri;
    PyObject *statements, *params, *grains_arg, *values_arg;
    Py_buffer cancel = {0};
    Py_ssize_t max_groups;
    double timeout = 0;
    (void)self;
    if (!PyArg_ParseTuple(args, "sOO!OOnw*|d", &uri, &statements, &PyDict_Type, &params, &grains_arg,
                          &values_arg, &max_groups, &cancel, &timeout))
        return NULL;
    double deadline = timeout > 0 ? now_seconds() + timeout : 0;
    PyObject *result = NULL;
    Part *parts = NULL;
    int *vcols = NULL, *needs = NULL;
    Py_ssize_t nparts = 0, ngrains = 0, nvalues = 0;

    PyObject *sseq = PySequence_Fast(statements, "statements must be a sequence");
    PyObject *gseq = sseq ? PySequence_Fast(grains_arg, "grains must be a sequence") : NULL;
    PyObject *vseq = gseq ? PySequence_Fast(values_arg, "values must be a sequence") : NULL;
    if (vseq == NULL) goto done;
    nparts = PySequence_Fast_GET_SIZE(sseq);
    ngrains = PySequence_Fast_GET_SIZE(gseq);
    nvalues = PySequence_Fast_GET_SIZE(vseq);
    if (nparts < 1) { PyErr_SetString(PyExc_ValueError, "no statement"); goto done; }
    parts = calloc((size_t)nparts, sizeof(Part));
    vcols = calloc(nvalues ? (size_t)nvalues : 1, sizeof(int));
    if (!parts || !vcols) { PyErr_NoMemory(); goto done; }
    needs = calloc(nvalues ? (size_t)nvalues : 1, sizeof(int));
    if (needs == NULL) { PyErr_NoMemory(); goto done; }
    for (Py_ssize_t i = 0; i < nvalues; i++) {
        /* a value column: its index, or (index, NEED_MIN | NEED_MAX) */
        PyObject *item = PySequence_Fast_GET_ITEM(vseq, i);
        if (PyTuple_Check(item)) {
            if (!PyArg_ParseTuple(item, "ii", &vcols[i], &needs[i])) goto done;
        } else {
            vcols[i] = (int)PyLong_AsLong(item);
            needs[i] = NEED_MIN | NEED_MAX;
            if (vcols[i] == -1 && PyErr_Occurred()) goto done;
        }
    }
    for (Py_ssize_t n = 0; n < nparts; n++) {
        Part *p = &parts[n];
        p->ngrains = ngrains;
        p->nvalues = nvalues;
        p->vcols = vcols;
        p->needs = needs;
        p->max_groups = (size_t)max_groups;
        p->stop = (volatile char *)cancel.buf;
        p->deadline = deadline;
        p->grains = calloc(ngrains ? (size_t)ngrains : 1, sizeof(Grain));
        if (p->grains == NULL) { PyErr_NoMemory(); goto done; }
        for (Py_ssize_t g = 0; g < ngrains; g++) {
            PyObject *ks = PySequence_Fast(PySequence_Fast_GET_ITEM(gseq, g), "a grain is a sequence of columns");
            if (ks == NULL) goto done;
            Grain *gr = &p->grains[g];
            gr->nkeys = (int)PySequence_Fast_GET_SIZE(ks);
            gr->keys = calloc(gr->nkeys ? (size_t)gr->nkeys : 1, sizeof(int));
            if (gr->keys == NULL) { Py_DECREF(ks); PyErr_NoMemory(); goto done; }
            for (int k = 0; k < gr->nkeys; k++)
                gr->keys[k] = (int)PyLong_AsLong(PySequence_Fast_GET_ITEM(ks, k));
            Py_DECREF(ks);
            if (PyErr_Occurred()) goto done;
        }
        const char *sql = PyUnicode_AsUTF8(PySequence_Fast_GET_ITEM(sseq, n));
        if (sql == NULL) goto done;
        /* the URI engine.data.sqlite.readonly_uri built from the file's path (mode=ro), and
           SQLITE_OPEN_READONLY whatever it says */
        if (S.open_v2(uri, &p->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
            PyErr_Format(PyExc_OSError, "cannot open %s: %s", uri, p->db ? S.errmsg(p->db) : "out of memory");
            goto done;
        }
        S.limit(p->db, SQLITE_LIMIT_ATTACHED, 0);
        S.set_authorizer(p->db, authorize, &p->refusal);
        S.progress_handler(p->db, 2000, progress, p);
        const char *tail = NULL;
        if (S.prepare_v2(p->db, sql, -1, &p->st, &tail) != SQLITE_OK || p->refusal.action) {
            if (p->refusal.action)
                PyErr_Format(PyExc_PermissionError, "refused: the query asks to %s; a report's data source may only read",
                             refusal_words(p->refusal.action));
            else
                PyErr_Format(PyExc_ValueError, "%s", S.errmsg(p->db));
            goto done;
        }
        while (tail != NULL && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';')) tail++;
        if (p->st == NULL || (tail != NULL && *tail) || !S.stmt_readonly(p->st) || S.column_count(p->st) < 1) {
            PyErr_SetString(PyExc_PermissionError, "refused: the scan runs exactly one read-only SELECT; a report's data source may only read");
            goto done;
        }
        if (bind_params(p->st, params)) goto done;
        p->ncols = S.column_count(p->st);
        for (Py_ssize_t i = 0; i < nvalues; i++)
            if (vcols[i] < 0 || vcols[i] >= p->ncols) { PyErr_SetString(PyExc_IndexError, "value column out of range"); goto done; }
        for (Py_ssize_t g = 0; g < ngrains; g++)
            for (int k = 0; k < p->grains[g].nkeys; k++)
                if (p->grains[g].keys[k] < 0 || p->grains[g].keys[k] >= p->ncols) { PyErr_SetString(PyExc_IndexError, "key column out of range"); goto done; }
    }

    int failed = 0, failed_part = 0;
    Py_BEGIN_ALLOW_THREADS
    pthread_t *threads = calloc((size_t)nparts, sizeof(pthread_t));
    int *started = calloc((size_t)nparts, sizeof(int));
    if (threads == NULL || started == NULL) failed = 1;
    for (Py_ssize_t n = 1; n < nparts && !failed; n++)
        started[n] = pthread_create(&threads[n], NULL, run_part, &parts[n]) == 0;
    if (!failed) run_part(&parts[0]);
    for (Py_ssize_t n = 1; n < nparts && !failed; n++) {
        if (started[n]) pthread_join(threads[n], NULL);
        else run_part(&parts[n]);  /* no thread to be had: this one scans it */
    }
    for (Py_ssize_t n = 0; n < nparts && !failed; n++)
        if (parts[n].failed) { failed = parts[n].failed; failed_part = (int)n; }
    for (Py_ssize_t n = 1; n < nparts && !failed; n++)
        for (Py_ssize_t g = 0; g < ngrains && !failed; g++)
            failed = merge_grain(&parts[0].grains[g], &parts[n].grains[g], (int)nvalues, (size_t)max_groups);
    free(threads); free(started);
    Py_END_ALLOW_THREADS
    if (failed == 1) { PyErr_NoMemory(); goto done; }
    if (failed == 2) { PyErr_Format(Unavailable, "more than %zd groups", max_groups); goto done; }
    if (failed == 3) { PyErr_SetString(PyExc_KeyboardInterrupt, "cancelled"); goto done; }
    if (failed == 4) { PyErr_Format(PyExc_ValueError, "%s", S.errmsg(parts[failed_part].db)); goto done; }
    if (failed == 5) {
        char seconds[32];
        snprintf(seconds, sizeof seconds, "%g", timeout);  /* PyErr_Format has no %g */
        PyErr_Format(PyExc_TimeoutError, "the query kept the database busy for more than %s s", seconds);
        goto done;
    }

    Grain *grains = parts[0].grains;
    result = PyList_New(ngrains);
    if (result == NULL) goto done;
    for (Py_ssize_t g = 0; g < ngrains; g++) {
        Grain *gr = &grains[g];
        PyObject *rows = PyList_New((Py_ssize_t)gr->ngroups);
        if (rows == NULL) { Py_CLEAR(result); goto done; }
        PyList_SET_ITEM(result, g, rows);
        for (size_t k = 0; k < gr->ngroups; k++) {
            PyObject *keyt = key_values(gr->arena + gr->key_at[k], gr->key_len[k], gr->nkeys);
            PyObject *aggt = keyt ? PyTuple_New(nvalues) : NULL;
            if (aggt == NULL) { Py_XDECREF(keyt); Py_CLEAR(result); goto done; }
            for (Py_ssize_t i = 0; i < nvalues; i++) {
                PyObject *a = agg_tuple(&gr->aggs[k * (size_t)nvalues + (size_t)i]);
                if (a == NULL) { Py_DECREF(keyt); Py_DECREF(aggt); Py_CLEAR(result); goto done; }
                PyTuple_SET_ITEM(aggt, i, a);
            }
            PyObject *row = Py_BuildValue("(NLN)", keyt, (long long)gr->rows[k], aggt);
            if (row == NULL) { Py_CLEAR(result); goto done; }
            PyList_SET_ITEM(rows, (Py_ssize_t)k, row);
        }
    }
done:
    if (parts) { for (Py_ssize_t n = 0; n < nparts; n++) part_free(&parts[n]); free(parts); }
    free(vcols); free(needs);
    Py_XDECREF(sseq); Py_XDECREF(gseq); Py_XDECREF(vseq);
    if (cancel.obj) PyBuffer_Release(&cancel);
    return result;
}

static PyMethodDef methods[] = {
    {"scan", scan, METH_VARARGS, "scan(uri, statements, params, grains, values, max_groups, cancel, timeout=0) -> per grain [(key, rows, aggregates)]: the statements (rowid ranges of one query) scanned on a thread each, their groups merged"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_hashscan", NULL, -1, methods};

PyMODINIT_FUNC PyInit__hashscan(void) {
    if (load_sqlite()) {
        PyErr_SetString(PyExc_ImportError, "libsqlite3.so.0 is not loaded");
        return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    Unavailable = PyErr_NewException("_hashscan.TooManyGroups", PyExc_RuntimeError, NULL);
    if (Unavailable == NULL || PyModule_AddObjectRef(m, "TooManyGroups", Unavailable) < 0) { Py_DECREF(m); return NULL; }
    return m;
}
