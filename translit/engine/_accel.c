/* The optional compiled accelerator of the fast engine (fastpath.py).
 *
 * It does in one pass what the pure fast engine does with a regular-expression
 * substitution per context rule and a byte map: for each character of text that the
 * repairs have prepared, the Latin of a letter of the rule table by the first of its rules
 * whose contexts fit (the characters on each side), cased by rule R9; the Latin of a word
 * exception (found by the caller) where one starts; every other character as it is, in
 * UTF-8. The rules are the same data: the caller builds a Table from the Orthography, and
 * the tests hold this path equal to the reference engine and to the pure fast engine.
 *
 * A word character is what the pure engines' WORD_CHAR matches: a character of \w that is
 * not a decimal digit nor "_", or a combining mark of the blocks listed in words.py.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define SPAN 0x530 /* every letter of the table, every capital and class member is below */
#define PYTHON_BEYOND 8 /* how many code points from SPAN on may send their line to Python */

/* Character classes of the Python definitions, held equal to them by tests/test_accel.py
 * (test_the_accelerators_character_classes_are_the_python_definitions): */
#define CYRILLIC_FIRST 0x400 /* words.CYRILLIC_FIRST, CYRILLIC_LAST: the Cyrillic letters */
#define CYRILLIC_LAST 0x52f
#define STAND_IN_FIRST 0xd800 /* fastpath.STAND_IN_FIRST, STAND_IN_LAST */
#define STAND_IN_LAST 0xd8ff
#define KEPT_MARK 0xfffc /* fastpath.KEPT_MARK: a kept span while the rest is converted */
/* repairs.LOOKALIKE_LETTERS: the Latin letters that may be look-alikes (A-Z, a-z) */
#define IS_LOOKALIKE_LETTER(c) ((c) < 0x80 && (((c) | 0x20) >= 'a' && ((c) | 0x20) <= 'z'))
/* words.COMBINING_MARKS: the combining marks that are word characters */
static const Py_UCS4 combining_marks[][2] = {
    {0x300, 0x36f}, {0x483, 0x489}, {0x1ab0, 0x1aff}, {0x1dc0, 0x1dff}, {0x20d0, 0x20ff},
    {0xfe20, 0xfe2f},
};

typedef struct {
    int before_class, after_class; /* -1: no context; 0: the word class; n > 0: class n */
    int before_negated, after_negated;
    PyObject *lower, *title, *upper; /* bytes */
    /* the same, each in 8 bytes (its length apart): convert_utf8's tight loop copies 8
     * bytes at a time, with no call to memcpy of a length it would not know */
    char latin[3][8];
    unsigned char latin_length[3];
} Row;

#define COMPLEX 0xff /* in simple_length: a letter whose rules look at its neighbours */
#define DECIDE_KINDS 64 /* the kinds of character the rules' table tells apart, at most */

typedef struct {
    PyObject *cyrillic; /* str */
    PyObject *latin;    /* bytes */
    int whole_word;
    const char *utf8;   /* the UTF-8 of cyrillic (kept by the str object) */
    Py_ssize_t utf8_length;
    Py_UCS4 last;       /* its last character */
} Exception;

/* What the tight loop of convert_utf8 does with a character: write `out` (`length` bytes;
 * 8 are copied), decide a letter by its neighbours (FAST_DECIDE), or leave the loop. */
typedef struct {
    char out[8];
    unsigned char length;
    unsigned char kind;      /* FAST_WRITE, FAST_DECIDE or FAST_LEAVE */
    unsigned char flags;     /* the character's ONE_* flags */
    unsigned char touching;  /* what, in the next one's `marks`, stops the loop's run */
    unsigned short code;     /* the character (below SPAN) */
    unsigned char marks;     /* what it is, to the one before's `touching` (FAST_MARKS) */
    unsigned char unused;    /* (16 bytes an entry: its index is a shift) */
} FastEntry;

#define FAST_WRITE 0
#define FAST_DECIDE 1
#define FAST_LEAVE 2
/* One test stops the tight loop's run on what is not written straight away: the `marks`
 * of a character against the `touching` of the one before. marks: ONE_CYRILLIC or
 * ONE_ASCII (a look-alike where the one before is of the other kind: TOUCHING),
 * FAST_WORD_START: a letter a word exception starts with, FAST_BEFORE: a letter whose
 * rules look only before it, written by its last rule (FAST_WRITE), FAST_AFTER(n) where
 * another rule than the last of the nth letter whose rules look only after it may fit
 * before it (after_fires), and FAST_RARE: not FAST_WRITE. touching: TOUCHING of its flags,
 * FAST_WORD_START where it is not a word character (what follows it starts a word),
 * FAST_BEFORE where another of those letters' rules than their last may fit after it
 * (before_fires), FAST_AFTER(n) of the nth letter whose rules look only after it (written
 * by its last rule, FAST_WRITE: where the next one may make it another, the loop stops
 * and that letter is decided again), and FAST_RARE always. (FAST_RARE, FAST_BEFORE and
 * FAST_AFTER(n) are the bits of ONE_PYTHON, ONE_CR, ONE_NEWLINE, ONE_BRACE and ONE_S,
 * which no entry that the loop writes has.) */
#define FAST_WORD_START 128
#define FAST_BEFORE 64
#define FAST_AFTER(n) ((n) < 2 ? 32 >> (n) : 8) /* (the third and any after it share one) */
#define FAST_AFTERS (32 | 16 | 8)
#define FAST_RARE 1
#define FAST_TOUCHING(flags, word, before) \
    (TOUCHING(flags) | FAST_RARE | ((word) ? 0 : FAST_WORD_START) | ((before) ? FAST_BEFORE : 0))
#define FAST_LEADS 0x12 /* lead bytes C2..D3: the two-byte characters below SPAN */
#define FAST_PAIR(lead, next) (128 + (((lead) - 0xc2) << 8 | (next)))
#define FAST_ENTRIES (128 + FAST_LEADS * 256)

typedef struct {
    PyObject_HEAD
    /* What most characters become, whatever stands beside them: a letter with one rule
     * written in lower case, or any other character below SPAN (its UTF-8). */
    unsigned char simple_length[SPAN];
    char simple[SPAN][8];
    unsigned char plain_length[SPAN]; /* simple_length, but for the exceptions' first letters */
    int letter_of[SPAN];   /* index of the letter's rows, or -1 */
    int is_lower[SPAN];    /* the letter as the table writes it (lower case) */
    int first_row[SPAN], row_count[SPAN];
    Row *rows;
    Py_ssize_t nrows;
    unsigned char (*classes)[SPAN]; /* class n-1: membership of each code point */
    Py_ssize_t nclasses;
    unsigned char capital[SPAN];
    /* The rules' choice without their loop (decide_tables): each character below SPAN has a
     * kind (`kind_of`: kind 0 is also no character), all of one kind being the same to
     * every context class and as a capital; for each letter with rules (`decided`: its
     * number + 1, or 0), the rows whose context before fits each kind, and then after. */
    unsigned char kind_of[SPAN];
    unsigned char kind_capital[DECIDE_KINDS];
    unsigned char decided[SPAN];
    unsigned char (*decide_rows)[2][DECIDE_KINDS]; /* [letter][before, after][kind] */
    int upper_capitals; /* capitals="upper": a two-letter capital beside a capital is SH */
    Exception *exceptions; /* in the order they are tried */
    Py_ssize_t nexceptions;
    int first_exception[SPAN]; /* of the exceptions starting with this letter, or -1 */
    int *next_exception;       /* the next one starting with the same letter, or -1 */
    /* Where each exception starting with this letter is of 4 bytes or more, and their bytes
     * 2 and 3 (the second letter, mostly) are one or two values: those (else probed 0); a
     * word whose bytes there are neither starts none of them (exception_probe) */
    unsigned char probed[SPAN];
    uint16_t probe[SPAN][2];
    /* The one pass over UTF-8 bytes (convert_utf8), set up by set_one_pass from the
     * Python definitions: what each character below SPAN asks of the pass (ONE_* flags),
     * and what an address (kept as it is) starts with, holds and does not end with. */
    int one_pass_ready;
    /* Of a character below SPAN (or of none, for `before_fires_none`): whether a rule other
     * than the last of a letter whose rules look only before it (FAST_BEFORE) may fit
     * after it */
    unsigned char before_fires[SPAN];
    int before_fires_none;
    /* The FAST_AFTER bits of the letters whose rules look only after them: of each such
     * letter (`after_letter`), and of each character below SPAN, of those letters whose
     * other rules than their last may fit before it (`after_fires`) */
    unsigned char after_letter[SPAN];
    unsigned char after_fires[SPAN];
    unsigned char flags[SPAN];
    PyObject *address_starts; /* tuple of bytes, or NULL: addresses are not kept */
    unsigned char not_in_address[128]; /* ASCII characters an address never holds */
    Py_UCS4 *not_in_address_other;     /* ... and others, beside Unicode whitespace */
    Py_ssize_t n_not_in_address_other;
    int address_spaces;                /* whitespace (\s) ends an address */
    Py_UCS4 python_beyond[PYTHON_BEYOND]; /* ONE_PYTHON's code points from SPAN on */
    int n_python_beyond;
    unsigned char address_tail[128];   /* ASCII an address does not end with (.,;:!?) */
    char *scratch; /* convert_utf8's output is made here (kept: no new pages each call) */
    Py_ssize_t scratch_size;
    /* convert_utf8's tight loop: an entry for each ASCII byte, then one for each pair of a
     * lead byte C2..D3 and the byte after it (FAST_PAIR), made by set_one_pass */
    FastEntry *fast;
} Table;

#define ONE_PYTHON 1     /* the line goes to the str path (a leftover letter, a 2026 letter ...) */
#define ONE_CYRILLIC 2   /* of the Cyrillic block: beside an ASCII letter, a look-alike? */
#define ONE_ASCII 4      /* an ASCII letter (the bit beside ONE_CYRILLIC: see convert_utf8) */
#define ONE_S 8          /* s or S: followed by h, a word to respell? */
#define ONE_BRACE 16     /* {: after -, an escape -{...}- */
#define ONE_NEWLINE 32
#define ONE_CR 64        /* a line break when no LF follows */
/* What the tight loop of convert_utf8 never converts itself (it leaves the loop) */
#define QUIET_NOT (ONE_PYTHON | ONE_S | ONE_BRACE | ONE_NEWLINE | ONE_CR)
/* Of the flags of the character before: what, in the next one, makes a Latin letter and a
 * Cyrillic one side by side (ONE_CYRILLIC and ONE_ASCII are neighbouring bits). */
#define TOUCHING(flags) ((((flags) >> 1) | ((flags) << 1)) & (ONE_CYRILLIC | ONE_ASCII))
#define SCRATCH_KEPT (16 << 20) /* convert_utf8's room for its output is kept up to this size */

static unsigned char word_below_span[SPAN]; /* is_word_char of each, made at import */

static int
is_word_char_slow(Py_UCS4 c)
{
    for (size_t i = 0; i < sizeof combining_marks / sizeof combining_marks[0]; i++)
        if (c >= combining_marks[i][0] && c <= combining_marks[i][1])
            return 1;
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c) && c != '_';
}

static inline int
is_word_char(Py_UCS4 c)
{
    return c < SPAN ? word_below_span[c] : is_word_char_slow(c);
}

/* Whether `c` (or the edge of the text, when `present` is 0) is in class `id`. */
static inline int
in_class(Table *table, int id, int present, Py_UCS4 c)
{
    if (!present)
        return 0;
    if (id == 0)
        return is_word_char(c);
    return c < SPAN && table->classes[id - 1][c];
}

static inline int
fits(Table *table, Row *row, int has_before, Py_UCS4 before, int has_after, Py_UCS4 after)
{
    if (row->before_class >= 0 &&
        in_class(table, row->before_class, has_before, before) == row->before_negated)
        return 0;
    if (row->after_class >= 0 &&
        in_class(table, row->after_class, has_after, after) == row->after_negated)
        return 0;
    return 1;
}

#define LOWER 0 /* the cases of a Row's Latin (Row.latin) */
#define TITLE 1
#define UPPER 2

/* The rule of letter c between its neighbours: the first whose context fits (the last
   rule has none: it always fits); *written: the case the letter and its neighbours ask
   for (LOWER, TITLE or UPPER). */
static inline __attribute__((always_inline)) Row *
rule_of(Table *table, Py_UCS4 c, int has_before, Py_UCS4 before, int has_after, Py_UCS4 after,
        int *written)
{
    Row *rows = &table->rows[table->first_row[c]];
    int count = table->row_count[c];
    Row *row = &rows[count - 1];
    for (int r = 0; r < count - 1; r++) {
        if (fits(table, &rows[r], has_before, before, has_after, after)) {
            row = &rows[r];
            break;
        }
    }
    if (table->is_lower[c])
        *written = LOWER;
    else if (table->upper_capitals &&
             ((has_before && before < SPAN && table->capital[before]) ||
              (has_after && after < SPAN && table->capital[after])))
        *written = UPPER;
    else
        *written = TITLE;
    return row;
}

/* The Latin of letter c between its neighbours (see rule_of), as bytes. */
static inline __attribute__((always_inline)) PyObject *
latin_of(Table *table, Py_UCS4 c, int has_before, Py_UCS4 before, int has_after, Py_UCS4 after)
{
    int written;
    Row *row = rule_of(table, c, has_before, before, has_after, after, &written);
    return written == LOWER ? row->lower : written == UPPER ? row->upper : row->title;
}

static void
Table_dealloc(Table *table)
{
    for (Py_ssize_t i = 0; i < table->nrows; i++) {
        Py_XDECREF(table->rows[i].lower);
        Py_XDECREF(table->rows[i].title);
        Py_XDECREF(table->rows[i].upper);
    }
    for (Py_ssize_t i = 0; i < table->nexceptions; i++) {
        Py_XDECREF(table->exceptions[i].cyrillic);
        Py_XDECREF(table->exceptions[i].latin);
    }
    PyMem_Free(table->rows);
    PyMem_Free(table->classes);
    PyMem_Free(table->decide_rows);
    PyMem_Free(table->exceptions);
    PyMem_Free(table->next_exception);
    Py_XDECREF(table->address_starts);
    PyMem_Free(table->not_in_address_other);
    PyMem_Free(table->scratch);
    PyMem_Free(table->fast);
    Py_TYPE(table)->tp_free((PyObject *)table);
}

static int
code_below_span(PyObject *item, Py_ssize_t *out)
{
    Py_ssize_t code = PyLong_AsSsize_t(item);
    if (code == -1 && PyErr_Occurred())
        return -1;
    if (code < 0 || code >= SPAN) {
        PyErr_SetString(PyExc_ValueError, "a code point beyond what the accelerator covers");
        return -1;
    }
    *out = code;
    return 0;
}

/* What a character below SPAN is to the rules (see Table.kind_of): a bit for the word
 * class, one for each class, one for a capital; 0 where it is nothing of these. */
static uint64_t
kind_bits(const Table *table, Py_UCS4 c)
{
    uint64_t bits = word_below_span[c] | (uint64_t)table->capital[c] << 1;
    for (Py_ssize_t n = 0; n < table->nclasses; n++)
        bits |= (uint64_t)table->classes[n][c] << (n + 2);
    return bits;
}

/* Whether a character of these kind bits (0: no character) is in class `id` (as in_class) */
static int
kind_in_class(uint64_t bits, int id)
{
    return id == 0 ? (int)(bits & 1) : (int)(bits >> (id + 1) & 1);
}

/* Whether a letter has a row of decide_rows: two to eight rules (the rows are counted
 * and then filled by this one test, so that they agree). */
static inline int
decidable(const Table *table, Py_UCS4 c)
{
    return table->letter_of[c] >= 0 && table->row_count[c] > 1 && table->row_count[c] <= 8;
}

/* Fill Table.kind_of, kind_capital, decided and decide_rows; where the table has more
 * classes, kinds or rules of a letter than they hold, none (`decided` stays 0: rule_of's
 * loop decides). */
static int
decide_tables(Table *table)
{
    memset(table->decided, 0, sizeof table->decided);
    if (table->nclasses > 60)
        return 0;
    uint64_t kinds[DECIDE_KINDS] = {0}; /* kind 0: nothing, and no character */
    int nkinds = 1;
    for (Py_UCS4 c = 0; c < SPAN; c++) {
        uint64_t bits = kind_bits(table, c);
        int k = 0;
        while (k < nkinds && kinds[k] != bits)
            k++;
        if (k == nkinds) {
            if (nkinds == DECIDE_KINDS)
                return 0;
            kinds[nkinds++] = bits;
        }
        table->kind_of[c] = (unsigned char)k;
    }
    for (int k = 0; k < DECIDE_KINDS; k++)
        table->kind_capital[k] = (kinds[k] >> 1) & 1;
    int letters = 0;
    for (Py_UCS4 c = 0; c < SPAN; c++)
        letters += decidable(table, c);
    if (letters == 0 || letters > 255)
        return 0;
    table->decide_rows = PyMem_Calloc(letters, sizeof *table->decide_rows);
    if (table->decide_rows == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    int letter = 0;
    for (Py_UCS4 c = 0; c < SPAN; c++) {
        if (!decidable(table, c))
            continue;
        Row *rows = &table->rows[table->first_row[c]];
        for (int k = 0; k < nkinds; k++)
            for (int r = 0; r < table->row_count[c] - 1; r++) {
                if (rows[r].before_class < 0 ||
                    kind_in_class(kinds[k], rows[r].before_class) != rows[r].before_negated)
                    table->decide_rows[letter][0][k] |= (unsigned char)(1 << r);
                if (rows[r].after_class < 0 ||
                    kind_in_class(kinds[k], rows[r].after_class) != rows[r].after_negated)
                    table->decide_rows[letter][1][k] |= (unsigned char)(1 << r);
            }
        table->decided[c] = (unsigned char)++letter;
    }
    return 0;
}

/* Table(letters, classes, capitals, upper_capitals, exceptions)
 *   letters: ((code, is_lower, ((before, before_negated, after, after_negated,
 *              lower, title, upper), ...)), ...)
 *   classes: (codes of class 1, codes of class 2, ...); capitals: codes
 *   exceptions: ((cyrillic, latin bytes, whole_word), ...) in the order they are tried */
static int
Table_init(Table *table, PyObject *args, PyObject *kwds)
{
    (void)kwds;
    PyObject *letters, *classes, *capitals, *exceptions;
    int upper_capitals;
    if (!PyArg_ParseTuple(args, "O!O!O!pO!", &PyTuple_Type, &letters, &PyTuple_Type, &classes,
                          &PyTuple_Type, &capitals, &upper_capitals, &PyTuple_Type, &exceptions))
        return -1;
    for (int i = 0; i < SPAN; i++) {
        table->letter_of[i] = -1;
        table->capital[i] = 0;
        table->first_exception[i] = -1;
    }
    table->upper_capitals = upper_capitals;
    table->nclasses = PyTuple_GET_SIZE(classes);
    table->classes = PyMem_Calloc(table->nclasses ? table->nclasses : 1, SPAN);
    if (table->classes == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t n = 0; n < table->nclasses; n++) {
        PyObject *members = PyTuple_GET_ITEM(classes, n);
        if (!PyTuple_Check(members)) {
            PyErr_SetString(PyExc_TypeError, "a class is a tuple of code points");
            return -1;
        }
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(members); i++) {
            Py_ssize_t code;
            if (code_below_span(PyTuple_GET_ITEM(members, i), &code) < 0)
                return -1;
            table->classes[n][code] = 1;
        }
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(capitals); i++) {
        Py_ssize_t code;
        if (code_below_span(PyTuple_GET_ITEM(capitals, i), &code) < 0)
            return -1;
        table->capital[code] = 1;
    }
    Py_ssize_t total = 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(letters); i++) {
        PyObject *letter = PyTuple_GET_ITEM(letters, i);
        if (!PyTuple_Check(letter) || PyTuple_GET_SIZE(letter) != 3 ||
            !PyTuple_Check(PyTuple_GET_ITEM(letter, 2))) {
            PyErr_SetString(PyExc_TypeError, "a letter is (code, is_lower, rows)");
            return -1;
        }
        total += PyTuple_GET_SIZE(PyTuple_GET_ITEM(letter, 2));
    }
    table->rows = PyMem_Calloc(total ? total : 1, sizeof(Row));
    if (table->rows == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t next = 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(letters); i++) {
        PyObject *letter = PyTuple_GET_ITEM(letters, i);
        Py_ssize_t code;
        if (code_below_span(PyTuple_GET_ITEM(letter, 0), &code) < 0)
            return -1;
        int lower = PyObject_IsTrue(PyTuple_GET_ITEM(letter, 1));
        if (lower < 0)
            return -1;
        PyObject *rows = PyTuple_GET_ITEM(letter, 2);
        table->letter_of[code] = (int)i;
        table->is_lower[code] = lower;
        table->first_row[code] = (int)next;
        table->row_count[code] = (int)PyTuple_GET_SIZE(rows);
        for (Py_ssize_t r = 0; r < PyTuple_GET_SIZE(rows); r++, next++) {
            Row *row = &table->rows[next];
            table->nrows = next + 1;
            if (!PyArg_ParseTuple(PyTuple_GET_ITEM(rows, r), "iiiiSSS", &row->before_class,
                                  &row->before_negated, &row->after_class, &row->after_negated,
                                  &row->lower, &row->title, &row->upper))
                return -1;
            if (row->before_class > table->nclasses || row->after_class > table->nclasses) {
                PyErr_SetString(PyExc_ValueError, "a rule names a class that is not given");
                return -1;
            }
            Py_INCREF(row->lower);
            Py_INCREF(row->title);
            Py_INCREF(row->upper);
            if (PyBytes_GET_SIZE(row->lower) > 8 || PyBytes_GET_SIZE(row->title) > 8 ||
                PyBytes_GET_SIZE(row->upper) > 8) {
                PyErr_SetString(PyExc_ValueError, "a letter's Latin longer than 8 bytes");
                return -1;
            }
            PyObject *cases[3] = {[LOWER] = row->lower, [TITLE] = row->title,
                                  [UPPER] = row->upper};
            for (int k = 0; k < 3; k++) {
                row->latin_length[k] = (unsigned char)PyBytes_GET_SIZE(cases[k]);
                memcpy(row->latin[k], PyBytes_AS_STRING(cases[k]), row->latin_length[k]);
            }
        }
    }
    /* The simple table: every character below SPAN, unless it is a letter whose rules
     * look at its neighbours or a capital (R9 looks at its neighbours too). */
    for (Py_UCS4 c = 0; c < SPAN; c++) {
        if (table->letter_of[c] >= 0) {
            Row *row = &table->rows[table->first_row[c]];
            /* one rule, and lower case or a capital written the same in any company */
            PyObject *latin = table->is_lower[c] ? row->lower : row->title;
            if (table->row_count[c] == 1 && (table->is_lower[c] || (
                    PyBytes_GET_SIZE(row->title) == PyBytes_GET_SIZE(row->upper) &&
                    memcmp(PyBytes_AS_STRING(row->title), PyBytes_AS_STRING(row->upper),
                           PyBytes_GET_SIZE(row->title)) == 0))) {
                table->simple_length[c] = (unsigned char)PyBytes_GET_SIZE(latin);
                memcpy(table->simple[c], PyBytes_AS_STRING(latin), PyBytes_GET_SIZE(latin));
            }
            else
                table->simple_length[c] = COMPLEX;
        }
        else if (c < 0x80) {
            table->simple_length[c] = 1;
            table->simple[c][0] = (char)c;
        }
        else {
            table->simple_length[c] = 2;
            table->simple[c][0] = (char)(0xc0 | (c >> 6));
            table->simple[c][1] = (char)(0x80 | (c & 0x3f));
        }
    }
    memcpy(table->plain_length, table->simple_length, sizeof table->plain_length);
    if (decide_tables(table) < 0)
        return -1;
    table->nexceptions = PyTuple_GET_SIZE(exceptions);
    table->exceptions = PyMem_Calloc(table->nexceptions ? table->nexceptions : 1, sizeof(Exception));
    table->next_exception = PyMem_Calloc(table->nexceptions ? table->nexceptions : 1, sizeof(int));
    if (table->exceptions == NULL || table->next_exception == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = table->nexceptions - 1; i >= 0; i--) { /* chains keep the order */
        Exception *entry = &table->exceptions[i];
        if (!PyArg_ParseTuple(PyTuple_GET_ITEM(exceptions, i), "USp", &entry->cyrillic,
                              &entry->latin, &entry->whole_word))
            return -1;
        Py_INCREF(entry->cyrillic);
        Py_INCREF(entry->latin);
        if (PyUnicode_GET_LENGTH(entry->cyrillic) < 1) {
            PyErr_SetString(PyExc_ValueError, "an empty exception");
            return -1;
        }
        entry->utf8 = PyUnicode_AsUTF8AndSize(entry->cyrillic, &entry->utf8_length);
        if (entry->utf8 == NULL)
            return -1;
        entry->last = PyUnicode_READ_CHAR(entry->cyrillic, PyUnicode_GET_LENGTH(entry->cyrillic) - 1);
        Py_UCS4 first = PyUnicode_READ_CHAR(entry->cyrillic, 0);
        if (first >= SPAN || table->letter_of[first] < 0) {
            PyErr_SetString(PyExc_ValueError, "an exception that starts with no letter");
            return -1;
        }
        table->next_exception[i] = table->first_exception[first];
        table->first_exception[first] = (int)i;
        table->simple_length[first] = COMPLEX; /* it may start an exception */
    }
    for (Py_UCS4 c = 0; c < SPAN; c++) {
        int values = 0;
        for (int e = table->first_exception[c]; e >= 0 && values >= 0; e = table->next_exception[e]) {
            Exception *entry = &table->exceptions[e];
            uint16_t value;
            if (entry->utf8_length < 4) {
                values = -1;
                break;
            }
            memcpy(&value, entry->utf8 + 2, 2);
            if (values > 0 && (value == table->probe[c][0] || value == table->probe[c][1]))
                continue;
            if (values == 2)
                values = -1;
            else
                table->probe[c][values++] = value;
        }
        table->probed[c] = values > 0;
        if (values == 1)
            table->probe[c][1] = table->probe[c][0];
    }
    return 0;
}

/* The exception that starts at `i` (a word start), or NULL: the first in order whose
 * letters stand there, and, for a whole word, with no word character after them. */
static Exception *
exception_at(Table *table, int kind, const void *data, Py_ssize_t length, Py_ssize_t i,
             Py_UCS4 c)
{
    for (int e = table->first_exception[c]; e >= 0; e = table->next_exception[e]) {
        Exception *entry = &table->exceptions[e];
        PyObject *word = entry->cyrillic;
        Py_ssize_t size = PyUnicode_GET_LENGTH(word);
        if (i + size > length)
            continue;
        int word_kind = PyUnicode_KIND(word);
        const void *word_data = PyUnicode_DATA(word);
        Py_ssize_t k = 1;
        while (k < size && PyUnicode_READ(kind, data, i + k) == PyUnicode_READ(word_kind, word_data, k))
            k++;
        if (k < size)
            continue;
        if (entry->whole_word && i + size < length &&
            is_word_char(PyUnicode_READ(kind, data, i + size)))
            continue;
        return entry;
    }
    return NULL;
}

typedef struct {
    char *data;
    Py_ssize_t size, used;
} Buffer;

static int
reserve(Buffer *buffer, Py_ssize_t more)
{
    if (buffer->used + more <= buffer->size)
        return 0;
    Py_ssize_t size = buffer->size * 2 + more;
    char *data = PyMem_Realloc(buffer->data, size);
    if (data == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    buffer->data = data;
    buffer->size = size;
    return 0;
}

static int
put_bytes(Buffer *buffer, PyObject *bytes)
{
    Py_ssize_t length = PyBytes_GET_SIZE(bytes);
    if (reserve(buffer, length) < 0)
        return -1;
    memcpy(buffer->data + buffer->used, PyBytes_AS_STRING(bytes), length);
    buffer->used += length;
    return 0;
}

/* A character as UTF-8; a lone surrogate as its bytes (surrogatepass), or, with
 * surrogateescape, U+DC80..U+DCFF as the byte it stands for. */
static int
put_char(Buffer *buffer, Py_UCS4 c, int surrogateescape)
{
    if (reserve(buffer, 4) < 0)
        return -1;
    unsigned char *out = (unsigned char *)buffer->data + buffer->used;
    if (c < 0x80) {
        out[0] = (unsigned char)c;
        buffer->used += 1;
    }
    else if (c < 0x800) {
        out[0] = (unsigned char)(0xc0 | (c >> 6));
        out[1] = (unsigned char)(0x80 | (c & 0x3f));
        buffer->used += 2;
    }
    else if (surrogateescape && c >= 0xdc80 && c <= 0xdcff) {
        out[0] = (unsigned char)(c - 0xdc00);
        buffer->used += 1;
    }
    else if (c < 0x10000) {
        out[0] = (unsigned char)(0xe0 | (c >> 12));
        out[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
        out[2] = (unsigned char)(0x80 | (c & 0x3f));
        buffer->used += 3;
    }
    else {
        out[0] = (unsigned char)(0xf0 | (c >> 18));
        out[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
        out[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
        out[3] = (unsigned char)(0x80 | (c & 0x3f));
        buffer->used += 4;
    }
    return 0;
}

/* convert(text, surrogateescape) -> bytes */
static PyObject *
Table_convert(Table *table, PyObject *args)
{
    PyObject *text;
    int surrogateescape;
    if (!PyArg_ParseTuple(args, "Up", &text, &surrogateescape))
        return NULL;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Buffer buffer = {NULL, 0, 0};
    if (reserve(&buffer, length + length / 2 + 64) < 0)
        return NULL;
    for (Py_ssize_t i = 0; i < length; i++) {
        if (reserve(&buffer, 16) < 0)
            goto failed;
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < SPAN) {
            unsigned char simple = table->simple_length[c];
            if (simple != COMPLEX) {
                memcpy(buffer.data + buffer.used, table->simple[c], 8);
                buffer.used += simple;
                continue;
            }
        }
        if (c >= SPAN || table->letter_of[c] < 0) {
            if (put_char(&buffer, c, surrogateescape) < 0)
                goto failed;
            continue;
        }
        int has_before = i > 0, has_after = i + 1 < length;
        Py_UCS4 before = has_before ? PyUnicode_READ(kind, data, i - 1) : 0;
        if (table->first_exception[c] >= 0 && !(has_before && is_word_char(before))) {
            Exception *entry = exception_at(table, kind, data, length, i, c);
            if (entry != NULL) {
                if (put_bytes(&buffer, entry->latin) < 0)
                    goto failed;
                i += PyUnicode_GET_LENGTH(entry->cyrillic) - 1;
                continue;
            }
        }
        Py_UCS4 after = has_after ? PyUnicode_READ(kind, data, i + 1) : 0;
        PyObject *latin = latin_of(table, c, has_before, before, has_after, after);
        if (put_bytes(&buffer, latin) < 0)
            goto failed;
    }
    PyObject *result = PyBytes_FromStringAndSize(buffer.data, buffer.used);
    PyMem_Free(buffer.data);
    return result;
failed:
    PyMem_Free(buffer.data);
    return NULL;
}

/* The characters of UTF-8 `bytes` (`size` of them): the Latin's length in a str. */
static Py_ssize_t
utf8_chars(const char *bytes, Py_ssize_t size)
{
    Py_ssize_t chars = 0;
    for (Py_ssize_t k = 0; k < size; k++)
        chars += ((unsigned char)bytes[k] & 0xc0) != 0x80;
    return chars;
}

#define DECIDED_MARKED 1  /* decision_flags: a row whose rule is marked (a decision) */
#define DECIDED_CAPITAL 2 /* ... a capital's row that R9 may write SH or Sh (by the next) */
#define DECISION_RULE 0   /* the kinds decisions() reports (reference.py's NATIVE_KINDS) */
#define DECISION_CAPITALS 1
#define DECISION_EXCEPTION 2
#define DECISION_LEFTOVER 3

static int
add_decision(PyObject *found, Py_ssize_t start, Py_ssize_t end, Py_ssize_t out_start,
             Py_ssize_t out_end, int kind, Py_ssize_t index)
{
    PyObject *item = Py_BuildValue("(nnnnin)", start, end, out_start, out_end, kind, index);
    if (item == NULL)
        return -1;
    int failed = PyList_Append(found, item);
    Py_DECREF(item);
    return failed;
}

/* decisions(text, flags) -> (out_length, [(start, end, out_start, out_end, kind, index)]):
 * what Table_convert does to `text`, told as the reference engine's decisions: each step
 * that decides something (a marked rule, a capital written by R9, a word exception, a
 * Cyrillic letter the table does not hold), with its place in `text` and in the Latin (a
 * str's characters), its DECISION_* kind, and its row's index * 3 + its case (LOWER, TITLE,
 * UPPER), or its exception's index; `flags`: each row's DECIDED_* bits. The steps are
 * Table_convert's, in its order, so that the two cannot disagree. */
static PyObject *
Table_decisions(Table *table, PyObject *args)
{
    PyObject *text;
    const char *flags;
    Py_ssize_t nflags;
    if (!PyArg_ParseTuple(args, "Uy#", &text, &flags, &nflags))
        return NULL;
    if (nflags != table->nrows) {
        PyErr_SetString(PyExc_ValueError, "decisions: a flag for each row of the table");
        return NULL;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    PyObject *found = PyList_New(0);
    if (found == NULL)
        return NULL;
    Py_ssize_t out = 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= SPAN || table->letter_of[c] < 0) {
            /* passed as it is: a Cyrillic letter here is left over (is_cyrillic_letter) */
            if (c >= CYRILLIC_FIRST && c <= CYRILLIC_LAST && Py_UNICODE_ISALPHA(c) &&
                add_decision(found, i, i + 1, out, out + 1, DECISION_LEFTOVER, 0) < 0)
                goto failed;
            out += 1;
            continue;
        }
        unsigned char simple = table->simple_length[c];
        if (simple != COMPLEX && !(flags[table->first_row[c]] & (DECIDED_MARKED | DECIDED_CAPITAL))) {
            out += utf8_chars(table->simple[c], simple);
            continue;
        }
        int has_before = i > 0, has_after = i + 1 < length;
        Py_UCS4 before = has_before ? PyUnicode_READ(kind, data, i - 1) : 0;
        if (simple == COMPLEX && table->first_exception[c] >= 0 &&
            !(has_before && is_word_char(before))) {
            Exception *entry = exception_at(table, kind, data, length, i, c);
            if (entry != NULL) {
                Py_ssize_t size = PyUnicode_GET_LENGTH(entry->cyrillic);
                Py_ssize_t chars = utf8_chars(PyBytes_AS_STRING(entry->latin),
                                              PyBytes_GET_SIZE(entry->latin));
                if (add_decision(found, i, i + size, out, out + chars, DECISION_EXCEPTION,
                                 entry - table->exceptions) < 0)
                    goto failed;
                out += chars;
                i += size - 1;
                continue;
            }
        }
        Py_UCS4 after = has_after ? PyUnicode_READ(kind, data, i + 1) : 0;
        int written;
        Row *row = rule_of(table, c, has_before, before, has_after, after, &written);
        Py_ssize_t index = row - table->rows;
        PyObject *latin = written == LOWER ? row->lower : written == UPPER ? row->upper : row->title;
        Py_ssize_t chars = utf8_chars(PyBytes_AS_STRING(latin), PyBytes_GET_SIZE(latin));
        int decided = -1;
        if ((flags[index] & DECIDED_CAPITAL) &&
            !(has_after && Py_UNICODE_ISALPHA(after) && Py_UNICODE_ISLOWER(after)))
            decided = DECISION_CAPITALS;
        else if (flags[index] & DECIDED_MARKED)
            decided = DECISION_RULE;
        if (decided >= 0 &&
            add_decision(found, i, i + 1, out, out + chars, decided, index * 3 + written) < 0)
            goto failed;
        out += chars;
    }
    return Py_BuildValue("(nN)", out, found);
failed:
    Py_DECREF(found);
    return NULL;
}

/* touches_cyrillic(text, stand_ins) -> bool: whether an ASCII letter stands beside a
 * character of the Cyrillic blocks (maybe a look-alike to repair), or, with `stand_ins`, the
 * text holds a character of U+D800-U+D8FF: what repairs.py's trigger pattern finds. */
static PyObject *
touches_cyrillic(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *text;
    int stand_ins;
    if (!PyArg_ParseTuple(args, "Up", &text, &stand_ins))
        return NULL;
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (kind == PyUnicode_1BYTE_KIND)
        Py_RETURN_FALSE; /* no Cyrillic, no surrogates */
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (stand_ins && c >= STAND_IN_FIRST && c <= STAND_IN_LAST)
            Py_RETURN_TRUE;
        if (IS_LOOKALIKE_LETTER(c)) {
            if (i > 0) {
                Py_UCS4 before = PyUnicode_READ(kind, data, i - 1);
                if (before >= CYRILLIC_FIRST && before <= CYRILLIC_LAST)
                    Py_RETURN_TRUE;
            }
            if (i + 1 < length) {
                Py_UCS4 after = PyUnicode_READ(kind, data, i + 1);
                if (after >= CYRILLIC_FIRST && after <= CYRILLIC_LAST)
                    Py_RETURN_TRUE;
            }
        }
    }
    Py_RETURN_FALSE;
}

static inline int
python_beyond(const Table *table, Py_UCS4 c)
{
    for (int i = 0; i < table->n_python_beyond; i++)
        if (table->python_beyond[i] == c)
            return 1;
    return 0;
}

/* Whether letter c's rules but its last look only on one side of it, before it
 * (`before`) or after it, in small letters (so no neighbour decides its case either): the
 * tight loop writes it by its last rule; one that looks before, where none of the others
 * can fit after the character before it (FAST_BEFORE); one that looks after, deciding it
 * again where the next character may make it another (FAST_AFTER). */
static int
looks_only(const Table *table, Py_UCS4 c, int before)
{
    if (table->letter_of[c] < 0 || !table->is_lower[c] || table->row_count[c] < 2)
        return 0;
    const Row *rows = &table->rows[table->first_row[c]];
    for (int r = 0; r < table->row_count[c] - 1; r++)
        if ((rows[r].before_class >= 0) != before || (rows[r].after_class >= 0) == before)
            return 0;
    return 1;
}


/* Fill Table.after_letter and after_fires (see there) */
static void
after_fires_fill(Table *table)
{
    memset(table->after_letter, 0, sizeof table->after_letter);
    memset(table->after_fires, 0, sizeof table->after_fires);
    int n = 0;
    for (Py_UCS4 c = 0; c < SPAN; c++) {
        if (!looks_only(table, c, 0))
            continue;
        unsigned char bit = FAST_AFTER(n);
        n++;
        table->after_letter[c] = bit;
        Row *rows = &table->rows[table->first_row[c]];
        for (int r = 0; r < table->row_count[c] - 1; r++)
            for (Py_UCS4 x = 0; x < SPAN; x++)
                if (fits(table, &rows[r], 0, 0, 1, x))
                    table->after_fires[x] |= bit;
    }
}

/* Fill Table.before_fires and before_fires_none (see there) */
static void
before_fires_fill(Table *table)
{
    memset(table->before_fires, 0, sizeof table->before_fires);
    table->before_fires_none = 0;
    for (Py_UCS4 c = 0; c < SPAN; c++) {
        if (!looks_only(table, c, 1))
            continue;
        Row *rows = &table->rows[table->first_row[c]];
        for (int r = 0; r < table->row_count[c] - 1; r++) {
            /* (no character before: in no class, as in_class says) */
            table->before_fires_none |= rows[r].before_negated;
            for (Py_UCS4 x = 0; x < SPAN; x++)
                table->before_fires[x] |= fits(table, &rows[r], 1, x, 0, 0);
        }
    }
}

/* set_one_pass(python, cyrillic, ascii_letters, sh, starts, not_in_address, spaces, tail)
 * python: code points whose line the str path converts (up to PYTHON_BEYOND of them from
 * SPAN on); cyrillic: (first,
 * last) of the Cyrillic block; ascii_letters: the letters whose touching it is a trigger;
 * sh: whether s before h is a trigger; starts: tuple of bytes an address starts with (empty:
 * addresses are not kept); not_in_address: what an address never holds besides
 * whitespace when `spaces`; tail: what it does not end with. */
static PyObject *
Table_set_one_pass(Table *table, PyObject *args)
{
    PyObject *python, *cyrillic, *letters, *starts, *not_in, *tail;
    int sh, spaces;
    if (!PyArg_ParseTuple(args, "O!O!UpO!UpU", &PyTuple_Type, &python, &PyTuple_Type,
                          &cyrillic, &letters, &sh, &PyTuple_Type, &starts, &not_in, &spaces,
                          &tail))
        return NULL;
    unsigned char flags[SPAN];
    memset(flags, 0, sizeof flags);
    Py_UCS4 beyond[PYTHON_BEYOND];
    int n_beyond = 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(python); i++) {
        Py_ssize_t code = PyLong_AsSsize_t(PyTuple_GET_ITEM(python, i));
        if (code == -1 && PyErr_Occurred())
            return NULL;
        if (code >= SPAN && code <= 0x10ffff && n_beyond < PYTHON_BEYOND) {
            beyond[n_beyond++] = (Py_UCS4)code; /* (invisible characters: a soft hyphen ...) */
            continue;
        }
        if (code_below_span(PyTuple_GET_ITEM(python, i), &code) < 0)
            return NULL;
        flags[code] |= ONE_PYTHON;
    }
    long first, last;
    if (!PyArg_ParseTuple(cyrillic, "ll", &first, &last))
        return NULL;
    if (first < 0 || last >= SPAN || first > last) {
        PyErr_SetString(PyExc_ValueError, "the Cyrillic block is not below the span");
        return NULL;
    }
    for (long c = first; c <= last; c++)
        flags[c] |= ONE_CYRILLIC;
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(letters); i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(letters, i);
        if (c >= 0x80) {
            PyErr_SetString(PyExc_ValueError, "ascii_letters holds a character beyond ASCII");
            return NULL;
        }
        flags[c] |= ONE_ASCII;
    }
    if (sh) {
        flags['s'] |= ONE_S;
        flags['S'] |= ONE_S;
    }
    flags['{'] |= ONE_BRACE;
    flags['\n'] |= ONE_NEWLINE;
    flags['\r'] |= ONE_CR;
    unsigned char not_ascii[128], tail_ascii[128];
    memset(not_ascii, 0, sizeof not_ascii);
    memset(tail_ascii, 0, sizeof tail_ascii);
    Py_ssize_t others = 0;
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(not_in); i++)
        others += PyUnicode_READ_CHAR(not_in, i) >= 0x80;
    Py_UCS4 *other = PyMem_Calloc(others ? others : 1, sizeof(Py_UCS4));
    if (other == NULL)
        return PyErr_NoMemory();
    others = 0;
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(not_in); i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(not_in, i);
        if (c < 0x80)
            not_ascii[c] = 1;
        else
            other[others++] = c;
    }
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(tail); i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(tail, i);
        if (c >= 0x80) {
            PyMem_Free(other);
            PyErr_SetString(PyExc_ValueError, "an address's tail beyond ASCII");
            return NULL;
        }
        tail_ascii[c] = 1;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(starts); i++) {
        PyObject *start = PyTuple_GET_ITEM(starts, i);
        if (!PyBytes_Check(start) || PyBytes_GET_SIZE(start) < 1) {
            PyMem_Free(other);
            PyErr_SetString(PyExc_TypeError, "an address starts with bytes");
            return NULL;
        }
    }
    memcpy(table->flags, flags, sizeof flags);
    memcpy(table->python_beyond, beyond, sizeof beyond);
    table->n_python_beyond = n_beyond;
    memcpy(table->not_in_address, not_ascii, sizeof not_ascii);
    memcpy(table->address_tail, tail_ascii, sizeof tail_ascii);
    PyMem_Free(table->not_in_address_other);
    table->not_in_address_other = other;
    table->n_not_in_address_other = others;
    table->address_spaces = spaces;
    Py_XDECREF(table->address_starts);
    table->address_starts = NULL;
    if (PyTuple_GET_SIZE(starts) > 0 && PyTuple_GET_SIZE(starts) <= 8) {
        Py_INCREF(starts);
        table->address_starts = starts;
    }
    else if (PyTuple_GET_SIZE(starts) > 8) {
        PyErr_SetString(PyExc_ValueError, "more than 8 ways to start an address");
        return NULL;
    }
    before_fires_fill(table);
    after_fires_fill(table);
    if (table->fast == NULL) {
        table->fast = PyMem_Calloc(FAST_ENTRIES, sizeof(FastEntry));
        if (table->fast == NULL)
            return PyErr_NoMemory();
    }
    for (int k = 0; k < FAST_ENTRIES; k++) {
        FastEntry *entry = &table->fast[k];
        memset(entry, 0, sizeof *entry);
        Py_UCS4 c;
        if (k < 128)
            c = (Py_UCS4)k;
        else {
            int lead = 0xc2 + ((k - 128) >> 8), next = (k - 128) & 0xff;
            if ((next & 0xc0) != 0x80) { /* not UTF-8: the slow path says so */
                entry->kind = FAST_LEAVE;
                entry->marks = FAST_RARE;
                continue;
            }
            c = ((Py_UCS4)(lead & 0x1f) << 6) | (next & 0x3f);
        }
        entry->code = (unsigned short)c;
        entry->flags = flags[c];
        entry->touching = FAST_TOUCHING(flags[c], word_below_span[c], table->before_fires[c]);
        int after_letter = k >= 128 && !(flags[c] & QUIET_NOT) && looks_only(table, c, 0);
        if (!(flags[c] & QUIET_NOT) && table->simple_length[c] != COMPLEX) {
            entry->kind = FAST_WRITE;
            entry->length = table->simple_length[c];
            memcpy(entry->out, table->simple[c], 8);
        }
        else if (!(flags[c] & QUIET_NOT) && table->first_exception[c] >= 0 &&
                 table->plain_length[c] != COMPLEX) {
            /* written as it is within a word (most of its places: the loop goes on without
             * a branch of its own); where a word starts with it, the loop looks for the
             * exceptions (FAST_WORD_START) */
            entry->kind = FAST_WRITE;
            entry->length = table->plain_length[c];
            memcpy(entry->out, table->simple[c], 8);
        }
        else if (k >= 128 && !(flags[c] & QUIET_NOT) &&
                 (looks_only(table, c, 1) || after_letter)) {
            /* written by its last rule, most of its places (FAST_BEFORE, FAST_AFTER): decided
             * like a FAST_DECIDE letter where another may fit */
            const Row *last = &table->rows[table->first_row[c] + table->row_count[c] - 1];
            entry->kind = FAST_WRITE;
            entry->length = last->latin_length[LOWER];
            memcpy(entry->out, last->latin[LOWER], 8);
        }
        else /* a letter decided by its neighbours (two bytes: at most 4 out for each) */
            entry->kind = (k >= 128 && !(flags[c] & QUIET_NOT) && table->letter_of[c] >= 0)
                              ? FAST_DECIDE : FAST_LEAVE;
        entry->marks = (flags[c] & (ONE_CYRILLIC | ONE_ASCII)) |
                       (entry->kind != FAST_WRITE ? FAST_RARE : 0) |
                       (entry->kind != FAST_LEAVE && table->first_exception[c] >= 0
                            ? FAST_WORD_START : 0) |
                       (k >= 128 && entry->kind == FAST_WRITE && looks_only(table, c, 1)
                            ? FAST_BEFORE : 0) |
                       table->after_fires[c];
        if (after_letter && entry->kind == FAST_WRITE)
            entry->touching |= table->after_letter[c];
    }
    table->one_pass_ready = 1;
    Py_RETURN_NONE;
}

/* One character of strict UTF-8 at s[i] (before `end`): its length, or 0 where the bytes
 * are not one (invalid, a surrogate, an overlong form, cut off by `end`). */
static inline int
utf8_char(const unsigned char *s, Py_ssize_t i, Py_ssize_t end, Py_UCS4 *out)
{
    unsigned char b = s[i];
    if (b < 0x80) {
        *out = b;
        return 1;
    }
    if (b < 0xc2)
        return 0;
    if (b < 0xe0) {
        if (i + 1 >= end || (s[i + 1] & 0xc0) != 0x80)
            return 0;
        *out = ((Py_UCS4)(b & 0x1f) << 6) | (s[i + 1] & 0x3f);
        return 2;
    }
    if (b < 0xf0) {
        if (i + 2 >= end)
            return 0;
        unsigned char b1 = s[i + 1], b2 = s[i + 2];
        if ((b1 & 0xc0) != 0x80 || (b2 & 0xc0) != 0x80 || (b == 0xe0 && b1 < 0xa0) ||
            (b == 0xed && b1 >= 0xa0))
            return 0;
        *out = ((Py_UCS4)(b & 0x0f) << 12) | ((Py_UCS4)(b1 & 0x3f) << 6) | (b2 & 0x3f);
        return 3;
    }
    if (b < 0xf5) {
        if (i + 3 >= end)
            return 0;
        unsigned char b1 = s[i + 1], b2 = s[i + 2], b3 = s[i + 3];
        if ((b1 & 0xc0) != 0x80 || (b2 & 0xc0) != 0x80 || (b3 & 0xc0) != 0x80 ||
            (b == 0xf0 && b1 < 0x90) || (b == 0xf4 && b1 >= 0x90))
            return 0;
        *out = ((Py_UCS4)(b & 0x07) << 18) | ((Py_UCS4)(b1 & 0x3f) << 12) |
               ((Py_UCS4)(b2 & 0x3f) << 6) | (b3 & 0x3f);
        return 4;
    }
    return 0;
}

/* Where each of convert_utf8's steps go, by a character's first byte (fast_way_for) */
static uint32_t fast_way[256];

/* The FastEntry of a character is fast[(way >> 8) + (next & way)], where `way` is
 * fast_way[its first byte] and `next` the byte after it: ASCII, its own; a lead byte
 * C2..D3, the pair's (FAST_PAIR); any other byte, an entry that leaves (C2 and a byte that
 * is not a continuation byte). */
static uint32_t
fast_way_for(unsigned lead)
{
    if (lead < 0x80)
        return lead << 8;
    if (lead - 0xc2 < FAST_LEADS)
        return (uint32_t)FAST_PAIR(lead, 0) << 8 | 0xff;
    return (uint32_t)FAST_PAIR(0xc2, 0) << 8;
}

/* Bit k set where p[k] is the first byte of a character, for the first `ahead` bytes at p
 * (at most 64), up to the first continuation byte that no two-byte character's first byte
 * stands before (a longer character, or not UTF-8: the slow path's). */
static inline uint64_t
char_starts(const unsigned char *p, Py_ssize_t ahead)
{
    unsigned char copy[64];
    if (ahead < 64) { /* (not beyond: the bytes after may be no part of the buffer) */
        memset(copy, 0, sizeof copy);
        memcpy(copy, p, ahead);
        p = copy;
    }
    uint64_t continuation = 0, two = 0; /* 10xxxxxx; 110xxxxx */
#if defined(__SSE2__)
    /* as signed bytes: a continuation byte is below -64, one of either below -32 */
    const __m128i below64 = _mm_set1_epi8(-64), below32 = _mm_set1_epi8(-32);
#define CHAR_STARTS_LANE(k)                                                                \
    do {                                                                                   \
        __m128i bytes = _mm_loadu_si128((const __m128i *)(p + 16 * (k)));                  \
        uint64_t c = (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(below64, bytes));         \
        uint64_t e = (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(below32, bytes));         \
        continuation |= c << (16 * (k));                                                   \
        two |= (e & ~c) << (16 * (k));                                                     \
    } while (0)
    /* (written out: a loop of four was not unrolled, and its end was mispredicted) */
    CHAR_STARTS_LANE(0);
    CHAR_STARTS_LANE(1);
    CHAR_STARTS_LANE(2);
    CHAR_STARTS_LANE(3);
#undef CHAR_STARTS_LANE
#else
    for (int k = 0; k < 64; k++) {
        continuation |= (uint64_t)((p[k] & 0xc0) == 0x80) << k;
        two |= (uint64_t)((p[k] & 0xe0) == 0xc0) << k;
    }
#endif
    uint64_t starts = ~continuation;
    uint64_t stray = continuation & ~(two << 1);
    if (stray)
        starts &= (stray & -stray) - 1; /* below the first */
    if (ahead < 64)
        starts &= ((uint64_t)1 << ahead) - 1;
    return starts;
}

static int
not_in_address(Table *table, Py_UCS4 c)
{
    if (c < 0x80)
        return table->not_in_address[c] || (table->address_spaces && Py_UNICODE_ISSPACE(c));
    if (table->address_spaces && Py_UNICODE_ISSPACE(c))
        return 1;
    for (Py_ssize_t k = 0; k < table->n_not_in_address_other; k++)
        if (table->not_in_address_other[k] == c)
            return 1;
    return 0;
}

/* The end of the address that starts at `at` with a start of `length` bytes, or -1 if none
 * does (spans.py: the start, a run of what an address holds, not ending with its tail). */
static Py_ssize_t
address_end(Table *table, const unsigned char *s, Py_ssize_t at, Py_ssize_t length,
            Py_ssize_t end)
{
    Py_ssize_t j = at + length, found = -1;
    while (j < end) {
        Py_UCS4 c;
        int n = utf8_char(s, j, end, &c);
        if (n == 0 || not_in_address(table, c))
            break; /* undecodable: its line goes to the str path anyway */
        j += n;
        if (!(c < 0x80 && table->address_tail[c]))
            found = j;
    }
    return found;
}

static Py_ssize_t
find_bytes(const unsigned char *s, Py_ssize_t from, Py_ssize_t end, const char *needle,
           Py_ssize_t length)
{
    while (from + length <= end) {
        const unsigned char *hit = memchr(s + from, (unsigned char)needle[0],
                                          end - length + 1 - from);
        if (hit == NULL)
            return -1;
        Py_ssize_t at = hit - s;
        if (memcmp(s + at, needle, length) == 0)
            return at;
        from = at + 1;
    }
    return -1;
}

/* The next address at or after `from`: the earliest that starts (of those at the same
 * place, the longest), as spans.py keeps the first of overlapping ones. `next_at` holds,
 * for each start, where it next stands (-2: not looked for yet, -1: nowhere). */
static void
next_address(Table *table, const unsigned char *s, Py_ssize_t from, Py_ssize_t end,
             Py_ssize_t *next_at, Py_ssize_t *span_start, Py_ssize_t *span_end)
{
    *span_start = *span_end = -1;
    if (table->address_starts == NULL)
        return;
    Py_ssize_t count = PyTuple_GET_SIZE(table->address_starts);
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *start = PyTuple_GET_ITEM(table->address_starts, k);
        const char *needle = PyBytes_AS_STRING(start);
        Py_ssize_t length = PyBytes_GET_SIZE(start);
        Py_ssize_t at = next_at[k];
        while (1) {
            if (at == -1 || (at >= from && (*span_start >= 0 && at > *span_start)))
                break; /* none, or later than one found already */
            if (at < from) {
                at = find_bytes(s, from, end, needle, length);
                continue;
            }
            Py_ssize_t stop = address_end(table, s, at, length, end);
            if (stop >= 0) {
                if (*span_start < 0 || at < *span_start ||
                    (at == *span_start && stop > *span_end)) {
                    *span_start = at;
                    *span_end = stop;
                }
                break;
            }
            at = find_bytes(s, at + 1, end, needle, length);
        }
        next_at[k] = at;
    }
}

/* Whether no exception that starts with letter c (below SPAN) can stand at s[i], by its
 * bytes 2 and 3 (Table.probe): most words that start with the letter, told apart without
 * the call to exception_at_utf8. */
static inline int
no_exception_at(const Table *table, const unsigned char *s, Py_ssize_t i, Py_ssize_t end,
                Py_UCS4 c)
{
    if (!table->probed[c])
        return 0;
    if (i + 4 > end)
        return 1; /* (each is of 4 bytes or more) */
    uint16_t value;
    memcpy(&value, s + i + 2, 2);
    return value != table->probe[c][0] && value != table->probe[c][1];
}

/* The exception whose UTF-8 stands at s[i] (a word start), or NULL; *stop set to -2 when
 * the character after it cannot be decoded (the line goes to the str path). */
static Exception *
exception_at_utf8(Table *table, const unsigned char *s, Py_ssize_t i, Py_ssize_t end,
                  Py_ssize_t span_start, Py_UCS4 c, Py_ssize_t *length)
{
    for (int e = table->first_exception[c]; e >= 0; e = table->next_exception[e]) {
        Exception *entry = &table->exceptions[e];
        Py_ssize_t size = entry->utf8_length;
        const char *word = entry->utf8;
        /* (its first letter is c: the next two bytes tell most words apart, inline) */
        if (i + size > end || (size >= 4 && memcmp(s + i + 2, word + 2, 2) != 0) ||
            (span_start > i && span_start < i + size) || memcmp(s + i, word, size) != 0)
            continue;
        Py_ssize_t j = i + size;
        if (entry->whole_word && j < end && j != span_start) {
            Py_UCS4 next;
            if (utf8_char(s, j, end, &next) == 0) {
                *length = -2;
                return NULL;
            }
            if (is_word_char(next))
                continue;
        }
        *length = size;
        return entry;
    }
    *length = 0;
    return NULL;
}

/* convert_utf8(data, start, end) -> (bytes, stop, lines): the conversion of data[start:end] (which
 * starts a line) straight from its UTF-8, up to `stop`, where a line begins that the str
 * path must convert (stop == end: all of it). What that path would do first is looked for
 * in the same pass: addresses are kept as they are (and are a boundary to the rules, as
 * the str path's mark is); a line with a character set_one_pass names, a Latin letter
 * beside a Cyrillic one, "sh", "-{", U+FFFC or bytes that are not UTF-8 goes back.
 * `lines`: the line breaks (LF, CRLF, a lone CR) before `stop`. */
static PyObject *
Table_convert_utf8(Table *table, PyObject *args)
{
    Py_buffer view;
    Py_ssize_t start, end;
    if (!PyArg_ParseTuple(args, "y*nn", &view, &start, &end))
        return NULL;
    if (!table->one_pass_ready) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_RuntimeError, "set_one_pass was not called");
        return NULL;
    }
    if (start < 0 || end > view.len || start > end) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_IndexError, "start and end are not within the data");
        return NULL;
    }
    const unsigned char *s = view.buf;
    /* the output, in locals that stay in registers (a Buffer's address would escape) */
    char *data = table->scratch; /* the GIL is held throughout: no other call uses it */
    Py_ssize_t used = 0, size = table->scratch_size;
#define ENSURE(more)                                                                       \
    do {                                                                                   \
        if (size - used < (more)) {                                                        \
            Buffer grown = {data, size, used};                                             \
            if (reserve(&grown, (more)) < 0)                                               \
                goto failed;                                                               \
            data = grown.data;                                                             \
            size = grown.size;                                                             \
        }                                                                                  \
    } while (0)
#define PUT(bytes)                                                                         \
    do {                                                                                   \
        Py_ssize_t length_ = PyBytes_GET_SIZE(bytes);                                      \
        ENSURE(length_);                                                                   \
        memcpy(data + used, PyBytes_AS_STRING(bytes), length_);                            \
        used += length_;                                                                   \
    } while (0)
    ENSURE((end - start) + (end - start) / 2 + 64);
    Py_ssize_t next_at[8] = {-2, -2, -2, -2, -2, -2, -2, -2};
    Py_ssize_t span_start, span_end;
    next_address(table, s, start, end, next_at, &span_start, &span_end);
    Py_ssize_t line_start = start, line_out = 0, i = start;
    Py_ssize_t lines = 0, line_lines = 0; /* line breaks (LF, CRLF, a lone CR) passed */
    Py_UCS4 before = 0;
    int has_before = 0;
    unsigned char before_flags = 0;
    while (i < end) {
        if (i == span_start) { /* kept as it is; to the rules, a mark that is no letter */
            ENSURE(span_end - span_start);
            memcpy(data + used, s + span_start, span_end - span_start);
            used += span_end - span_start;
            i = span_end;
            before = KEPT_MARK;
            has_before = 1;
            before_flags = 0;
            next_address(table, s, i, end, next_at, &span_start, &span_end);
            continue;
        }
        /* The common case in a tight loop: a character written the same whatever stands
         * beside it, that asks nothing of the pass; its Latin is at most 8 bytes, at most
         * 4 for each of its bytes (an ASCII character is itself). */
        Py_ssize_t run_end = span_start >= 0 ? span_start : end;
        /* `first` stands for the character before the loop's first one; `prev` is the
         * last one written */
        FastEntry first = {.flags = before_flags};
        first.touching = FAST_TOUCHING(before_flags, has_before && is_word_char(before),
                                       !has_before ? table->before_fires_none
                                       : before < SPAN ? table->before_fires[before] : 1);
        const FastEntry *prev = &first;
        ENSURE(4 * (run_end - i) + 16);
        const FastEntry *fast = table->fast;
        /* The loop steps from a character to the next by a mask of their first bytes, made
         * 64 bytes at a time (bit k: s[base + k]), not by each one's length: a branch on
         * the length is mispredicted at each edge of a word in text that mixes ASCII and
         * Cyrillic, and a step computed from it waits for the byte's load each time. */
        uint64_t starts = 0;
        Py_ssize_t base = i;
        for (;;) {
            if (starts == 0) {
                if (prev != &first) /* after the last one written (its entry says its size) */
                    i += prev >= fast + 128 ? 2 : 1;
                /* the bytes that may start a character here (a pair's second is read) */
                Py_ssize_t ahead = run_end - 1 - i;
                if (ahead <= 0)
                    break;
                base = i;
                starts = char_starts(s + i, ahead);
                if (!(starts & 1))
                    break; /* not UTF-8 (or a longer character) here: the slow path */
            }
            i = base + __builtin_ctzll(starts);
            starts &= starts - 1;
            unsigned lead = s[i];
            /* ASCII: its own entry; a lead byte C2..D3: the pair's with the next byte; any
             * other: an entry that leaves (chosen by a table, without a branch) */
            uint32_t way = fast_way[lead];
            const FastEntry *entry = &fast[(way >> 8) + (s[i + 1] & way)];
            unsigned char stop = entry->marks & prev->touching;
            if (__builtin_expect(stop, 0)) {
                /* A letter whose Latin looks at its neighbours: done here as the slow path
                 * below would do it, where that is short (not where a word exception may
                 * start; a neighbour after it of one or two bytes); anything else (a
                 * trigger, a word's first letter that may start an exception, ...) leaves
                 * the loop for the slow path. */
                if (stop & ~(FAST_WORD_START | FAST_RARE | FAST_BEFORE))
                    break; /* a look-alike */
                if (stop & FAST_WORD_START) { /* a word starts with a letter that may start an exception */
                    Py_ssize_t length;
                    if (!no_exception_at(table, s, i, end, entry->code) &&
                        (exception_at_utf8(table, s, i, end, span_start, entry->code,
                                           &length) != NULL || length == -2))
                        break; /* one does (or the next character is not UTF-8) */
                    if (!(stop & (FAST_RARE | FAST_BEFORE))) { /* most do not: as it is */
                        memcpy(data + used, entry->out, 8);
                        used += entry->length;
                        prev = entry;
                        continue;
                    }
                }
                if (entry->kind == FAST_LEAVE)
                    break; /* (else FAST_DECIDE, or a FAST_BEFORE letter where it may be) */
                Py_UCS4 code = entry->code;
                int has_prev = prev != &first || has_before;
                Py_UCS4 previous = prev != &first ? prev->code : before;
                Py_ssize_t j = i + 2;
                Py_UCS4 after;
                if (j < run_end && s[j] < 0x80)
                    after = s[j];
                else if (j + 1 < run_end && s[j] >= 0xc2 && s[j] < 0xe0 &&
                         (s[j + 1] & 0xc0) == 0x80)
                    after = ((Py_UCS4)(s[j] & 0x1f) << 6) | (s[j + 1] & 0x3f);
                else
                    break;
                int written;
                Row *row;
                if (table->decided[code] && previous < SPAN && after < SPAN) {
                    /* the rows that fit, by the kinds of its neighbours: the first of them
                     * (the last row fits always), without a branch for each */
                    unsigned before_kind = has_prev ? table->kind_of[previous] : 0;
                    unsigned after_kind = table->kind_of[after];
                    unsigned char (*fit)[DECIDE_KINDS] = table->decide_rows[table->decided[code] - 1];
                    unsigned rows = fit[0][before_kind] & fit[1][after_kind];
                    rows |= 1u << (table->row_count[code] - 1);
                    row = &table->rows[table->first_row[code] + __builtin_ctz(rows)];
                    written = table->is_lower[code] ? LOWER
                              : table->upper_capitals && (table->kind_capital[before_kind] |
                                                          table->kind_capital[after_kind])
                                  ? UPPER : TITLE;
                }
                else
                    row = rule_of(table, code, has_prev, previous, 1, after, &written);
                memcpy(data + used, row->latin[written], 8);
                used += row->latin_length[written];
                prev = entry;
                continue;
            }
            memcpy(data + used, entry->out, 8);
            used += entry->length;
            prev = entry;
        }
        if (prev != &first && (prev->touching & FAST_AFTERS)) {
            /* The last one written is a letter whose rules look only after it, written by
             * its last rule: decided again now that what follows it is known (i is after
             * it), as the slow path below decides a letter (its rules look not before it,
             * nor does its case) */
            Py_UCS4 after = 0;
            int has_after = i < end;
            if (i == span_start)
                after = KEPT_MARK;
            else if (has_after && utf8_char(s, i, end, &after) == 0)
                goto to_python;
            int written;
            Row *row = rule_of(table, prev->code, 0, 0, has_after, after, &written);
            used -= prev->length;
            memcpy(data + used, row->latin[written], 8);
            used += row->latin_length[written];
        }
        if (prev != &first) {
            before = prev->code;
            has_before = 1;
            before_flags = prev->flags;
        }
        if (i >= end)
            break;
        if (i == span_start)
            continue;
        ENSURE(16);
        Py_UCS4 c;
        int n;
        unsigned char b = s[i];
        if (b < 0x80) {
            c = b;
            n = 1;
        }
        else if (b >= 0xc2 && b < 0xe0 && i + 1 < end && (s[i + 1] & 0xc0) == 0x80) {
            c = ((Py_UCS4)(b & 0x1f) << 6) | (s[i + 1] & 0x3f);
            n = 2;
        }
        else if ((n = utf8_char(s, i, end, &c)) == 0)
            goto to_python;
        unsigned char f = 0;
        if (c < SPAN) {
            f = table->flags[c];
            /* one test for the rare cases: a trigger, or a Latin letter and a Cyrillic one
             * side by side (ONE_CYRILLIC and ONE_ASCII are neighbouring bits) */
            unsigned char look = (ONE_PYTHON | ONE_S | ONE_BRACE | ONE_NEWLINE | ONE_CR) |
                                 (((before_flags >> 1) | (before_flags << 1)) &
                                  (ONE_CYRILLIC | ONE_ASCII));
            if (__builtin_expect((f & look) != 0, 0)) {
                if ((f & ONE_PYTHON) || ((f & ONE_CYRILLIC) && (before_flags & ONE_ASCII)) ||
                    ((f & ONE_ASCII) && (before_flags & ONE_CYRILLIC)) ||
                    ((f & ONE_S) && i + 1 < end && (s[i + 1] | 0x20) == 'h') ||
                    ((f & ONE_BRACE) && i > start && s[i - 1] == '-'))
                    goto to_python;
                if ((f & ONE_CR) && !(i + 1 < end && s[i + 1] == '\n'))
                    lines += 1;
                if (f & ONE_NEWLINE) {
                    data[used++] = '\n';
                    i += 1;
                    lines += 1;
                    line_start = i;
                    line_out = used;
                    line_lines = lines;
                    before = '\n';
                    has_before = 1;
                    before_flags = f;
                    continue;
                }
            }
            unsigned char simple = table->simple_length[c];
            if (simple != COMPLEX) {
                memcpy(data + used, table->simple[c], 8);
                used += simple;
                i += n;
                before = c;
                has_before = 1;
                before_flags = f;
                continue;
            }
        }
        else if (c == KEPT_MARK || python_beyond(table, c))
            goto to_python; /* the str path's own mark, or what it reads */
        if (c >= SPAN || table->letter_of[c] < 0) {
            memcpy(data + used, s + i, n);
            used += n;
            i += n;
            before = c;
            has_before = 1;
            before_flags = f;
            continue;
        }
        if (table->first_exception[c] >= 0 && has_before && is_word_char(before) &&
            table->plain_length[c] != COMPLEX) { /* within a word: no exception starts */
            memcpy(data + used, table->simple[c], 8);
            used += table->plain_length[c];
            i += n;
            before = c;
            before_flags = f;
            continue;
        }
        if (table->first_exception[c] >= 0 && !(has_before && is_word_char(before))) {
            Py_ssize_t length;
            Exception *entry = exception_at_utf8(table, s, i, end, span_start, c, &length);
            if (length == -2)
                goto to_python;
            if (entry != NULL) {
                PUT(entry->latin);
                before = entry->last;
                has_before = 1;
                before_flags = before < SPAN ? table->flags[before] : 0;
                i += length;
                continue;
            }
        }
        Py_ssize_t j = i + n;
        int has_after = j < end;
        Py_UCS4 after = 0;
        if (j == span_start)
            after = KEPT_MARK;
        else if (has_after && utf8_char(s, j, end, &after) == 0)
            goto to_python;
        PyObject *latin = latin_of(table, c, has_before, before, has_after, after);
        PUT(latin);
        i += n;
        before = c;
        has_before = 1;
        before_flags = f;
    }
    line_start = end;
    line_out = used;
    line_lines = lines;
to_python:;
    PyBuffer_Release(&view);
    PyObject *result = Py_BuildValue("(y#nn)", data, line_out, line_start, line_lines);
    if (size > SCRATCH_KEPT) { /* a call on much data: its room is not kept */
        PyMem_Free(data);
        data = NULL;
        size = 0;
    }
    table->scratch = data;
    table->scratch_size = size;
    return result;
#undef ENSURE
#undef PUT
failed:
    table->scratch = data;
    table->scratch_size = size;
    PyBuffer_Release(&view);
    return NULL;
}

/* flags(code) -> int: what set_one_pass made of a character below SPAN (for the tests),
 * with 256 added where it is a word character, 512 where an address cannot hold it (any
 * code point) and 1024 where an address cannot end with it. */
static PyObject *
Table_flags(Table *table, PyObject *args)
{
    unsigned long code;
    if (!PyArg_ParseTuple(args, "k", &code))
        return NULL;
    if (code > 0x10ffff) {
        PyErr_SetString(PyExc_ValueError, "not a code point");
        return NULL;
    }
    long flags = code < SPAN ? table->flags[code] : 0;
    if (is_word_char((Py_UCS4)code))
        flags |= 256;
    if (not_in_address(table, (Py_UCS4)code))
        flags |= 512;
    if (code < 0x80 && table->address_tail[code])
        flags |= 1024;
    return PyLong_FromLong(flags);
}

/* ---- Latin → Cyrillic: the plain tokens of a region, in one pass (plainwords.py) ----
 *
 * A region of Latin text (between what is kept as it is) is read token by token (the text
 * between spaces, Python's \s). A *plain* token (plainwords.py: small letters, or a capital
 * and small letters, the ʻ among them, then ,.!?; or : only) that no word list touches and
 * whose letters the reader of cyrillic.tsv spells without a choice is written in Cyrillic
 * here; the others are handed back to Python, a run of them (with the spaces between) at a
 * time: plain_region returns [done, run, done, run, ..., done]. Everything this pass is not
 * sure of is handed back (a hash that collides with a word list's makes a token go the
 * Python way, never the other way), so the Python path stays the reference; the tests hold
 * the two equal. The letters are numbered: 0 is a word's edge, then the alphabet given. */

#define PW_LETTERS 32
#define PW_MAX_WORD 64 /* a longer token goes the Python way */

typedef struct PwRuleTag {
    unsigned char *cyrillic, *capital, *upper; /* the rule's Cyrillic; its first letter a
                                                * capital; in capitals (UTF-8) */
    Py_ssize_t cyrillic_length, capital_length, upper_length; /* (in bytes) */
    unsigned char *before_fits;  /* [1 + sequences]: 0 the word's start, 1 + n sequence n */
    unsigned char after_fits[PW_LETTERS]; /* by the letter after (0: the word's end) */
} PwRule;

typedef struct {
    unsigned char letters[PW_MAX_WORD];
    int length, usable; /* usable: all its characters are in the alphabet */
    int first_rule, rule_count;
} PwSequence;

/* A letter before another (or the word's end) where the pair alone decides how they are
 * read, whatever was read before and whatever follows (pw_spell's first look): how many
 * letters are read (0: the pair does not decide), the `previous` after them (1 + the
 * sequence's number; its rule is pair_rule's), and, where its rule's three forms fit in 8
 * bytes (`ready`), their UTF-8 (small, the first letter a capital, in capitals: PW_FIRST
 * and PW_ALL are the indexes), copied 8 bytes at once. (32 bytes: the table stays small.) */
typedef struct {
    unsigned char read, ready, length[3];
    uint16_t previous;
    unsigned char written[3][8];
} PwPair;

typedef struct {
    uint64_t *slots;
    size_t mask;
    /* A filter small enough to stay in the cache: two bits of a word per hash; a hash
     * whose bits are not both set is not in the table (most words: no look-up). */
    uint64_t *filter;
    size_t filter_mask;
} PwHashes;

static inline uint64_t
pw_filter_bits(uint64_t hash)
{
    return (1ULL << ((hash >> 40) & 63)) | (1ULL << ((hash >> 46) & 63));
}

/* The Uzbek suffixes after a stem or an apostrophe (reverse.Suffixes), slot by slot: each
 * slot's forms as a tree of letters (a node's children linked through `sibling`), so that
 * the pass reads them itself, as wordlists.suffix_pattern's match does, with no call. */
typedef struct {
    unsigned char letter, ends; /* the letter into the node; whether a form ends there */
    int child, sibling; /* the first child, the next sibling (-1: none) */
} PwSuffixNode;

typedef struct {
    PwSuffixNode *nodes;
    int nnodes, nslots;
    int *roots; /* each slot's root node */
} PwSuffixes;

typedef struct {
    int ascii_index[128];
    Py_UCS4 extra[PW_LETTERS]; /* the alphabet's characters beyond ASCII */
    int extra_index[PW_LETTERS], nextra;
    int nletters;
    Py_UCS4 characters[PW_LETTERS]; /* the alphabet's characters by number */
    int letter_a; /* index of "a": the alphabet's small letters a..z are consecutive */
    PwSequence *sequences;
    Py_ssize_t nsequences;
    PwRule *rules;
    Py_ssize_t nrules;
    int *starting[PW_LETTERS]; /* sequence numbers by first letter, in reading order */
    int nstarting[PW_LETTERS];
    /* [a][b]: the letter a before b (0: the word's end), read by the pair alone (PwPair),
     * and the rule read there */
    PwPair pairs[PW_LETTERS][PW_LETTERS];
    const struct PwRuleTag *pair_rule[PW_LETTERS][PW_LETTERS];
    /* The hazards by their first letter (pw_unplain): their numbers, -1 after the last. */
    int *hazards_by_first[PW_LETTERS];
    unsigned char vowel[PW_LETTERS], consonant[PW_LETTERS];
    int okina, okina_after[2]; /* ʻ, and the two letters it may follow (o, g) */
    int marks; /* ʻ and ʼ are the alphabet's last two letters: a letter from this one is */
    int tutuq;                 /* ʼ */
    Py_UCS4 okina_char, apostrophes[16]; /* the apostrophes typed for ʻ and ʼ */
    int napostrophes;
    unsigned char ascii_apostrophe[128]; /* of them, those below 128 (most words end in one
                                          * of these 128: a look-up, not a search) */
    PwSequence *hazards;
    Py_ssize_t nhazards;
    unsigned char hazard_first[PW_LETTERS]; /* the first letters of the hazards */
    int ph[2], ck[2], th[2], w, c, h, o, u, e, y; /* the clusters of latin._FOREIGN_CLUSTERS */
    /* [a][b]: whether a letter a before b (0: the word's end) may start what pw_unplain
     * looks for (a cluster, a hazard, a ʻ); where not, it looks no further there. */
    unsigned char suspect[PW_LETTERS][PW_LETTERS];
    /* [a][b]: suspect[a][b] (PW_SUSPECT) and whether b is a vowel (PW_VOWEL): what pw_token
     * gathers of each letter, in one look-up */
    unsigned char letter_flags[PW_LETTERS][PW_LETTERS];
    PwHashes excluded, lexicon;
    /* The capitalized names that stay Latin (latin.title_names: Linux, Firefox): a
     * capitalized word that starts with one and has letters after it (Linuxda, but also
     * Gitara) is handed back, for the per-word way to tell a name and suffixes. */
    PwHashes names;
    /* By the first three letters (numbers below PW_LETTERS): whether a key of the lexicon
     * starts so, or is them, so that most words look no key up at all; by the first four,
     * 0 or 1 + where in lengths4 are the lengths of the keys that start so (a bit for
     * each), so that a word looks up only its first letters that as many make a key. */
    unsigned char *starts3, *keys3;
    uint16_t *starts4;
    uint64_t *lengths4;
    /* The lexicon's keys (a dict), its entries as the pass takes them (PW_* below: made by
     * prepare(key) when first met), the suffixes' match(text, at), and the alphabet (to
     * make a word's small letters a str for them). */
    PyObject *lexicon_dict, *entries, *prepare, *suffix_match, *alphabet;
    PwSuffixes stem_suffixes, inflections; /* after a stem; after an apostrophe */
    Py_ssize_t longest_rule; /* the most bytes a rule writes (one letter or more read) */
} PwTable;

/* An entry of `entries`, what prepare returns: (flags, Cyrillic, capitalized, Cyrillic
 * before a suffix, capitalized); flags say where it is taken: */
#define PW_WHOLE_SMALL 1   /* the whole word, in small letters */
#define PW_WHOLE_CAPITAL 2 /* the whole word, capitalized */
#define PW_STEM_SMALL 4    /* a stem with Uzbek suffixes after it, in small letters */
#define PW_STEM_CAPITAL 8  /* the same, capitalized */
#define PW_NAME 16         /* a name's: its suffixes are suffix_match's to read */

#define PW_SUSPECT 1 /* letter_flags */
#define PW_VOWEL 2

#define PW_AT3(l) (((size_t)(l)[0] * PW_LETTERS + (l)[1]) * PW_LETTERS + (l)[2])
#define PW_AT4(l) (PW_AT3(l) * PW_LETTERS + (l)[3])

static inline uint64_t
pw_hash_step(uint64_t hash, Py_UCS4 c)
{
    return (hash ^ (uint64_t)c) * 0x100000001b3ULL;
}

#define PW_HASH_START 0xcbf29ce484222325ULL

static inline uint64_t
pw_hash_final(uint64_t hash)
{
    return hash ? hash : 1; /* 0 marks an empty slot */
}

static int
pw_hashes_add(PwHashes *set, uint64_t hash)
{
    set->filter[(hash >> 3) & set->filter_mask] |= pw_filter_bits(hash);
    size_t at = (size_t)(hash ^ (hash >> 29)) & set->mask;
    while (set->slots[at] && set->slots[at] != hash)
        at = (at + 1) & set->mask;
    set->slots[at] = hash;
    return 0;
}

static inline int
pw_hashes_has(const PwHashes *set, uint64_t hash)
{
    uint64_t bits = pw_filter_bits(hash);
    if ((set->filter[(hash >> 3) & set->filter_mask] & bits) != bits)
        return 0;
    size_t at = (size_t)(hash ^ (hash >> 29)) & set->mask;
    while (set->slots[at]) {
        if (set->slots[at] == hash)
            return 1;
        at = (at + 1) & set->mask;
    }
    return 0;
}

static uint64_t
pw_hash_str(PyObject *text)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    uint64_t hash = PW_HASH_START;
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(text); i++)
        hash = pw_hash_step(hash, PyUnicode_READ(kind, data, i));
    return pw_hash_final(hash);
}

/* A set's table, empty, for `count` hashes. */
static int
pw_hashes_make(PwHashes *set, Py_ssize_t count)
{
    size_t size = 16;
    while (size < (size_t)count * 2 + 16)
        size *= 2;
    set->slots = PyMem_Calloc(size, sizeof(uint64_t));
    set->filter = PyMem_Calloc(size / 8, sizeof(uint64_t)); /* 16 to 32 bits a word */
    set->filter_mask = size / 8 - 1;
    if (set->slots == NULL || set->filter == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    set->mask = size - 1;
    return 0;
}

/* The hashes of the str items of an iterable (a set, a dict's keys) added. */
static int
pw_hashes_add_items(PwHashes *set, PyObject *items)
{
    PyObject *iterator = PyObject_GetIter(items), *item;
    if (iterator == NULL)
        return -1;
    while ((item = PyIter_Next(iterator)) != NULL) {
        if (PyUnicode_Check(item))
            pw_hashes_add(set, pw_hash_str(item));
        Py_DECREF(item);
    }
    Py_DECREF(iterator);
    return PyErr_Occurred() ? -1 : 0;
}

/* The hashes of the str items of an iterable. */
static int
pw_hashes_fill(PwHashes *set, PyObject *items)
{
    Py_ssize_t count = PyObject_Length(items);
    if (count < 0)
        return -1;
    return pw_hashes_make(set, count) < 0 ? -1 : pw_hashes_add_items(set, items);
}

/* ---- Word lists (wordlists.py): a set of words read from a data file in one pass ----
 *
 * word_set(data) -> WordSet, or None: the lines of a word list (UTF-8 bytes) but blank lines
 * and comments, as wordlists._lines reads them (str.splitlines, then a line kept if
 * line.strip() and line[0] != "#"), a set for `in`, `len` and iterating, made without a
 * str of each of its words (a list of 26,000 words: about 10 ms of a start to Cyrillic as
 * frozenset(_lines(...)), in a new process). None where the data is not plainly such a
 * list, for the caller to read the Python way (which names the error where there is one):
 * bytes that are not UTF-8, a control character but the tab and the line feed, or a
 * character that str.splitlines or str.strip reads beyond the ASCII ones. A word is kept
 * as its bytes, its hash the compiled pass's (pw_hash_str), looked up exactly. */

typedef struct {
    uint64_t hash; /* (kept here too: a look-up that misses reads no word) */
    Py_ssize_t word; /* 1 + the word's number, 0 for none */
} WsSlot;

typedef struct {
    PyObject_HEAD
    unsigned char *data; /* the data's bytes */
    Py_ssize_t *starts;  /* each distinct word's first byte and its end, in data */
    Py_ssize_t *ends;
    Py_ssize_t count;
    uint64_t *hashes; /* each word's hash (pw_hash_final of its code points) */
    WsSlot *slots; /* open addressing by hash */
    size_t mask;
    /* lexicon_keys's: each key's line (0 the first), and where each line starts and ends */
    Py_ssize_t *numbers, *line_starts, *line_ends, nlines;
} WordSet;

static PyTypeObject WordSetType;

/* The code point at data[*at] (valid UTF-8, checked before), *at moved past it. */
static inline Py_UCS4
ws_next(const unsigned char *data, Py_ssize_t *at)
{
    Py_UCS4 c = data[*at];
    if (c < 0x80) {
        *at += 1;
        return c;
    }
    if (c < 0xE0) {
        c = ((c & 0x1F) << 6) | (data[*at + 1] & 0x3F);
        *at += 2;
        return c;
    }
    if (c < 0xF0) {
        c = ((c & 0x0F) << 12) | ((Py_UCS4)(data[*at + 1] & 0x3F) << 6) | (data[*at + 2] & 0x3F);
        *at += 3;
        return c;
    }
    c = ((c & 0x07) << 18) | ((Py_UCS4)(data[*at + 1] & 0x3F) << 12)
        | ((Py_UCS4)(data[*at + 2] & 0x3F) << 6) | (data[*at + 3] & 0x3F);
    *at += 4;
    return c;
}

/* The length of the UTF-8 sequence at data[at] if it is valid (as Python's decoder
 * reads it: no overlong form, no surrogate, nothing beyond U+10FFFF), else 0. */
static inline int
ws_valid(const unsigned char *data, Py_ssize_t at, Py_ssize_t size)
{
    unsigned char c = data[at];
    if (c < 0x80)
        return 1;
    int length = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
        : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (length == 0 || at + length > size)
        return 0;
    for (int i = 1; i < length; i++)
        if ((data[at + i] & 0xC0) != 0x80)
            return 0;
    unsigned char next = data[at + 1];
    if ((c == 0xE0 && next < 0xA0) || (c == 0xED && next > 0x9F)
            || (c == 0xF0 && next < 0x90) || (c == 0xF4 && next > 0x8F))
        return 0;
    return length;
}

static Py_ssize_t
ws_find(const WordSet *set, uint64_t hash, const unsigned char *bytes, Py_ssize_t length,
        PyObject *text)
{
    size_t at = (size_t)(hash ^ (hash >> 29)) & set->mask;
    for (; set->slots[at].word; at = (at + 1) & set->mask) {
        if (set->slots[at].hash != hash)
            continue;
        Py_ssize_t word = set->slots[at].word - 1;
        const unsigned char *data = set->data;
        if (bytes != NULL) { /* a word of the data */
            if (set->ends[word] - set->starts[word] == length
                    && memcmp(data + set->starts[word], bytes, (size_t)length) == 0)
                return word;
            continue;
        }
        /* a str: its code points against the word's */
        int kind = PyUnicode_KIND(text);
        const void *chars = PyUnicode_DATA(text);
        Py_ssize_t n = PyUnicode_GET_LENGTH(text), i = 0, from = set->starts[word];
        while (i < n && from < set->ends[word]
               && ws_next(data, &from) == PyUnicode_READ(kind, chars, i))
            i++;
        if (i == n && from == set->ends[word])
            return word;
    }
    return -1 - (Py_ssize_t)at; /* not there: -1 - the free slot */
}

static void
WordSet_dealloc(WordSet *self)
{
    PyMem_Free(self->data);
    PyMem_Free(self->starts);
    PyMem_Free(self->ends);
    PyMem_Free(self->hashes);
    PyMem_Free(self->slots);
    PyMem_Free(self->numbers);
    PyMem_Free(self->line_starts);
    PyMem_Free(self->line_ends);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* A WordSet of the lines of `source` (word_set), or of the keys of a lexicon's lines
 * (`keyed`: lexicon_keys); None where the data is not plainly such a file. */
static PyObject *
ws_make(const unsigned char *source, Py_ssize_t size, int keyed)
{
    Py_ssize_t lines = 1;
    /* first: the data is plainly a word list (else None), and how many lines it has */
    for (Py_ssize_t at = 0; at < size;) {
        unsigned char c = source[at];
        if (c < 0x80) {
            if (c == '\n')
                lines++;
            else if (c < 0x20 && c != '\t')
                Py_RETURN_NONE;
            at++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF && at + 1 < size && (source[at + 1] & 0xC0) == 0x80) {
            /* (most: two bytes, below U+0800, where only U+0085 and U+00A0 are refused) */
            if (c == 0xC2 && (source[at + 1] == 0x85 || source[at + 1] == 0xA0))
                Py_RETURN_NONE;
            at += 2;
            continue;
        }
        Py_UCS4 character = 0;
        if (ws_valid(source, at, size))
            character = ws_next(source, &at);
        /* (below U+0800, only U+0085 and U+00A0 are spaces or line breaks, and from
         * there only characters of three bytes from E1, E2 or E3: no look-up for most) */
        if (character == 0 || character == 0x85 || character == 0xA0
                || (character >= 0x1000 && character < 0x4000
                    && (Py_UNICODE_ISSPACE(character) || Py_UNICODE_ISLINEBREAK(character))))
            Py_RETURN_NONE;
    }
    WordSet *self = PyObject_New(WordSet, &WordSetType);
    if (self == NULL)
        return NULL;
    self->data = NULL, self->starts = self->ends = NULL, self->hashes = NULL;
    self->slots = NULL;
    self->numbers = self->line_starts = self->line_ends = NULL;
    self->count = self->nlines = 0;
    size_t slots = 16;
    while (slots < (size_t)lines * 2)
        slots *= 2;
    size_t each = sizeof(Py_ssize_t) * (size_t)lines;
    self->data = PyMem_Malloc((size_t)size + 1);
    self->starts = PyMem_Malloc(each);
    self->ends = PyMem_Malloc(each);
    self->hashes = PyMem_Malloc(sizeof(uint64_t) * (size_t)lines);
    self->slots = PyMem_Calloc(slots, sizeof(WsSlot));
    self->mask = slots - 1;
    if (keyed) {
        self->numbers = PyMem_Malloc(each);
        self->line_starts = PyMem_Malloc(each);
        self->line_ends = PyMem_Malloc(each);
    }
    if (self->data == NULL || self->starts == NULL || self->ends == NULL
            || self->hashes == NULL || self->slots == NULL
            || (keyed && (self->numbers == NULL || self->line_starts == NULL
                          || self->line_ends == NULL))) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    memcpy(self->data, source, (size_t)size);
    const unsigned char *data = self->data;
    for (Py_ssize_t start = 0, number = 0; start < size; number++) {
        const unsigned char *newline = memchr(data + start, '\n', (size_t)(size - start));
        Py_ssize_t end = newline ? newline - data : size, word_end = end;
        int kept;
        if (keyed) {
            /* Lexicon's reading: a blank line, a comment, the header (latin\t...) are
             * not entries; any other line has four fields or more (else the Python way,
             * which names the line) and its key is the first */
            self->line_starts[number] = start;
            self->line_ends[number] = end;
            self->nlines = number + 1;
            kept = end > start && data[start] != '#'
                && !(end - start >= 6 && memcmp(data + start, "latin\t", 6) == 0);
            if (kept) {
                const unsigned char *tab = memchr(data + start, '\t', (size_t)(end - start));
                int tabs = 0;
                for (const unsigned char *at = tab; at != NULL && tabs < 3;
                     at = memchr(at + 1, '\t', (size_t)(data + end - at - 1)))
                    tabs++;
                if (tabs < 3) {
                    Py_DECREF(self);
                    Py_RETURN_NONE;
                }
                word_end = tab - data;
            }
        }
        else {
            int blank = 1;
            for (Py_ssize_t i = start; i < end && blank; i++)
                blank = data[i] == ' ' || data[i] == '\t';
            kept = !blank && data[start] != '#';
        }
        if (kept) {
            uint64_t hash = PW_HASH_START;
            for (Py_ssize_t at = start; at < word_end;)
                hash = pw_hash_step(hash, ws_next(data, &at));
            hash = pw_hash_final(hash);
            Py_ssize_t found = ws_find(self, hash, data + start, word_end - start, NULL);
            if (found < 0) { /* (a word written twice is one word of the set) */
                Py_ssize_t word = self->count++;
                self->starts[word] = start;
                self->ends[word] = word_end;
                self->hashes[word] = hash;
                self->slots[-1 - found].hash = hash;
                self->slots[-1 - found].word = word + 1;
                found = word;
            }
            if (keyed) /* a key written again: its last line counts (its place, its first) */
                self->numbers[found] = number;
        }
        start = end + 1;
    }
    return (PyObject *)self;
}

static PyObject *
word_set(PyObject *module, PyObject *args)
{
    Py_buffer buffer;
    if (!PyArg_ParseTuple(args, "y*", &buffer))
        return NULL;
    PyObject *made = ws_make(buffer.buf, buffer.len, 0);
    PyBuffer_Release(&buffer);
    return made;
}

/* lexicon_keys(data) -> WordSet or None: the keys of a lexicon's UTF-8 (wordlists.Lexicon),
 * each with its line: `in`, len, iterating, keys[key] (its line's number), get, line(n). */
static PyObject *
lexicon_keys(PyObject *module, PyObject *args)
{
    Py_buffer buffer;
    if (!PyArg_ParseTuple(args, "y*", &buffer))
        return NULL;
    PyObject *made = ws_make(buffer.buf, buffer.len, 1);
    PyBuffer_Release(&buffer);
    return made;
}

/* The number of the key `item`, or -1 (not a key, or not a str) */
static Py_ssize_t
ws_number(WordSet *self, PyObject *item)
{
    if (!PyUnicode_Check(item) || self->numbers == NULL)
        return -1;
    Py_ssize_t word = ws_find(self, pw_hash_str(item), NULL, 0, item);
    return word >= 0 ? self->numbers[word] : -1;
}

static PyObject *
WordSet_subscript(WordSet *self, PyObject *item)
{
    Py_ssize_t number = ws_number(self, item);
    if (number < 0) {
        if (self->numbers == NULL)
            PyErr_SetString(PyExc_TypeError, "a word list has no lines by word");
        else
            PyErr_SetObject(PyExc_KeyError, item);
        return NULL;
    }
    return PyLong_FromSsize_t(number);
}

static PyObject *
WordSet_line(WordSet *self, PyObject *args)
{
    Py_ssize_t number;
    if (!PyArg_ParseTuple(args, "n", &number))
        return NULL;
    if (number < 0 || number >= self->nlines) {
        PyErr_SetString(PyExc_IndexError, "no such line");
        return NULL;
    }
    return PyUnicode_DecodeUTF8((const char *)self->data + self->line_starts[number],
                                self->line_ends[number] - self->line_starts[number], "strict");
}

static int
WordSet_contains(WordSet *self, PyObject *item)
{
    if (!PyUnicode_Check(item))
        return 0;
    return ws_find(self, pw_hash_str(item), NULL, 0, item) >= 0;
}

static Py_ssize_t
WordSet_length(WordSet *self)
{
    return self->count;
}

static PyObject *
WordSet_iter(WordSet *self)
{
    PyObject *words = PyList_New(self->count);
    if (words == NULL)
        return NULL;
    for (Py_ssize_t i = 0; i < self->count; i++) {
        PyObject *word = PyUnicode_DecodeUTF8((const char *)self->data + self->starts[i],
                                              self->ends[i] - self->starts[i], "strict");
        if (word == NULL) {
            Py_DECREF(words);
            return NULL;
        }
        PyList_SET_ITEM(words, i, word);
    }
    PyObject *iterator = PyObject_GetIter(words);
    Py_DECREF(words);
    return iterator;
}

static PyObject *
WordSet_longest(WordSet *self, PyObject *unused)
{
    Py_ssize_t longest = 0;
    for (Py_ssize_t word = 0; word < self->count; word++) {
        Py_ssize_t length = 0;
        for (Py_ssize_t at = self->starts[word]; at < self->ends[word]; at++)
            length += (self->data[at] & 0xC0) != 0x80; /* (a character's first byte) */
        if (length > longest)
            longest = length;
    }
    return PyLong_FromSsize_t(longest);
}

static PyMethodDef WordSet_methods[] = {
    {"longest", (PyCFunction)WordSet_longest, METH_NOARGS,
     "longest() -> int: the most characters a word has (0 for none)."},
    {"line", (PyCFunction)WordSet_line, METH_VARARGS,
     "line(number) -> str: the line (lexicon_keys), 0 the first."},
    {NULL, NULL, 0, NULL},
};

static PyMappingMethods WordSet_as_mapping = {
    .mp_length = (lenfunc)WordSet_length,
    .mp_subscript = (binaryfunc)WordSet_subscript,
};

static PySequenceMethods WordSet_as_sequence = {
    .sq_length = (lenfunc)WordSet_length,
    .sq_contains = (objobjproc)WordSet_contains,
};

static PyTypeObject WordSetType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "translit.engine._accel.WordSet",
    .tp_basicsize = sizeof(WordSet),
    .tp_dealloc = (destructor)WordSet_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "The words of a word list (word_set) or a lexicon's keys (lexicon_keys).",
    .tp_as_sequence = &WordSet_as_sequence,
    .tp_as_mapping = &WordSet_as_mapping,
    .tp_methods = WordSet_methods,
    .tp_iter = (getiterfunc)WordSet_iter,
};

/* The hashes of the words of `parts`, a tuple of collections of str: a WordSet's as it
 * holds them (no str made of each word), another's item by item. */
static int
pw_hashes_fill_parts(PwHashes *set, PyObject *parts)
{
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(parts); i++) {
        Py_ssize_t length = PyObject_Length(PyTuple_GET_ITEM(parts, i));
        if (length < 0)
            return -1;
        count += length;
    }
    if (pw_hashes_make(set, count) < 0)
        return -1;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(parts); i++) {
        PyObject *part = PyTuple_GET_ITEM(parts, i);
        if (Py_IS_TYPE(part, &WordSetType)) {
            const WordSet *words = (const WordSet *)part;
            for (Py_ssize_t k = 0; k < words->count; k++)
                pw_hashes_add(set, words->hashes[k]);
        }
        else if (pw_hashes_add_items(set, part) < 0)
            return -1;
    }
    return 0;
}

static inline int
pw_letter(const PwTable *table, Py_UCS4 c)
{
    if (c < 128)
        return table->ascii_index[c];
    for (int i = 0; i < table->nextra; i++)
        if (table->extra[i] == c)
            return table->extra_index[i];
    return 0;
}

static int
pw_letters_of(const PwTable *table, PyObject *text, PwSequence *out)
{
    Py_ssize_t size = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    out->length = 0;
    out->usable = size > 0 && size < PW_MAX_WORD;
    for (Py_ssize_t i = 0; i < size && i < PW_MAX_WORD; i++) {
        int letter = pw_letter(table, PyUnicode_READ(kind, data, i));
        if (letter == 0)
            out->usable = 0;
        out->letters[out->length++] = (unsigned char)letter;
    }
    return 0;
}

/* The slots of suffixes (a tuple of tuples of str, in their order) as trees of letters: a
 * form with a character outside the alphabet, which no plain word's letters can read, is
 * left out. */
static int
pw_suffixes_fill(const PwTable *table, PwSuffixes *suffixes, PyObject *slots)
{
    Py_ssize_t nslots = PyTuple_GET_SIZE(slots), letters = 0;
    for (Py_ssize_t i = 0; i < nslots; i++) {
        PyObject *forms = PyTuple_GET_ITEM(slots, i);
        if (!PyTuple_Check(forms)) {
            PyErr_SetString(PyExc_TypeError, "plain_table: a slot of suffixes is a tuple");
            return -1;
        }
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(forms); k++) {
            PyObject *form = PyTuple_GET_ITEM(forms, k);
            if (!PyUnicode_Check(form)) {
                PyErr_SetString(PyExc_TypeError, "plain_table: a suffix is a str");
                return -1;
            }
            letters += PyUnicode_GET_LENGTH(form);
        }
    }
    suffixes->nodes = PyMem_Calloc((size_t)(letters + nslots + 1), sizeof(PwSuffixNode));
    suffixes->roots = PyMem_Calloc((size_t)nslots + 1, sizeof(int));
    if (suffixes->nodes == NULL || suffixes->roots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    suffixes->nslots = (int)nslots;
    PwSequence form;
    for (Py_ssize_t i = 0; i < nslots; i++) {
        PyObject *forms = PyTuple_GET_ITEM(slots, i);
        int root = suffixes->nnodes++;
        suffixes->nodes[root] = (PwSuffixNode){0, 0, -1, -1};
        suffixes->roots[i] = root;
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(forms); k++) {
            pw_letters_of(table, PyTuple_GET_ITEM(forms, k), &form);
            if (!form.usable)
                continue;
            int node = root;
            for (int j = 0; j < form.length; j++) {
                int child = suffixes->nodes[node].child;
                while (child >= 0 && suffixes->nodes[child].letter != form.letters[j])
                    child = suffixes->nodes[child].sibling;
                if (child < 0) {
                    child = suffixes->nnodes++;
                    suffixes->nodes[child] = (PwSuffixNode){form.letters[j], 0, -1,
                                                            suffixes->nodes[node].child};
                    suffixes->nodes[node].child = child;
                }
                node = child;
            }
            suffixes->nodes[node].ends = 1;
        }
    }
    return 0;
}

/* The places a word can be cut at are a 64-bit word's bits (pw_suffixes_read). */
_Static_assert(PW_MAX_WORD <= 64, "a word's places are the bits of a uint64_t");

/* Whether the letters l[0:n] are suffixes: each slot in its order reads one of its forms or
 * nothing, and the last ends at n (as the pattern of the slots, each optional, then \Z,
 * matches: its backtracking tries every way). */
static int
pw_suffixes_read(const PwSuffixes *suffixes, const unsigned char *l, int n)
{
    uint64_t reached = 1; /* bit p: l[0:p] read by the slots so far */
    for (int slot = 0; slot < suffixes->nslots; slot++) {
        uint64_t next = reached;
        for (int p = 0; p < n; p++) {
            if (!(reached >> p & 1))
                continue;
            int node = suffixes->roots[slot];
            for (int q = p; q < n; q++) {
                int child = suffixes->nodes[node].child;
                while (child >= 0 && suffixes->nodes[child].letter != l[q])
                    child = suffixes->nodes[child].sibling;
                if (child < 0)
                    break;
                node = child;
                if (suffixes->nodes[node].ends)
                    next |= 1ULL << (q + 1);
            }
        }
        reached = next;
    }
    return (int)(reached >> n & 1);
}

static unsigned char *
pw_utf8(PyObject *text, Py_ssize_t *length)
{
    const char *bytes = PyUnicode_AsUTF8AndSize(text, length);
    if (bytes == NULL)
        return NULL;
    unsigned char *copy = PyMem_Malloc((size_t)*length + 1);
    if (copy == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    memcpy(copy, bytes, (size_t)*length + 1);
    return copy;
}

/* A key's letters (pw_letters_of) read from its UTF-8, data[start:end] (a WordSet's) */
static void
pw_letters_of_utf8(const PwTable *table, const unsigned char *data, Py_ssize_t start,
                   Py_ssize_t end, PwSequence *out)
{
    out->length = 0;
    out->usable = end > start;
    for (Py_ssize_t at = start; at < end && out->length < PW_MAX_WORD;) {
        int letter = pw_letter(table, ws_next(data, &at));
        if (letter == 0)
            out->usable = 0;
        out->letters[out->length++] = (unsigned char)letter;
    }
    if (out->length >= PW_MAX_WORD)
        out->usable = 0; /* (as pw_letters_of: shorter than PW_MAX_WORD) */
}

/* A key's letters into starts3, starts4, keys3 (`starts`: the entries of lengths4) */
static int
pw_starts_add(PwTable *table, const PwSequence *letters, size_t *starts)
{
    if (!letters->usable || letters->length < 3)
        return 0;
    table->starts3[PW_AT3(letters->letters)] = 1;
    if (letters->length == 3) {
        table->keys3[PW_AT3(letters->letters)] = 1;
        return 0;
    }
    uint16_t *at = &table->starts4[PW_AT4(letters->letters)];
    if (*at == 0 && *starts < UINT16_MAX) {
        uint64_t *grown = PyMem_Realloc(table->lengths4, sizeof(uint64_t) * (*starts + 1));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        table->lengths4 = grown;
        /* (more starts than the index holds: the last entry stands for the rest, at every
         * length, a look-up for nothing at worst) */
        grown[*starts] = *starts + 1 == UINT16_MAX ? ~0ULL : 0;
        (*starts)++;
    }
    if (*at == 0)
        *at = (uint16_t)*starts;
    table->lengths4[*at - 1] |= 1ULL << letters->length;
    return 0;
}

/* starts3, starts4, keys3 from the lexicon's keys (a key with a character outside the
 * alphabet can never be a plain word's start: it is left out); `keys`, a WordSet
 * (lexicon_keys) or an iterable of str. */
static int
pw_starts_fill(PwTable *table, PyObject *keys)
{
    size_t size3 = (size_t)PW_LETTERS * PW_LETTERS * PW_LETTERS;
    table->starts3 = PyMem_Calloc(size3, 1);
    table->keys3 = PyMem_Calloc(size3, 1);
    table->starts4 = PyMem_Calloc(size3 * PW_LETTERS, sizeof(uint16_t));
    if (table->starts3 == NULL || table->keys3 == NULL || table->starts4 == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    PwSequence letters;
    size_t starts = 0;
    if (Py_IS_TYPE(keys, &WordSetType)) {
        const WordSet *words = (const WordSet *)keys;
        for (Py_ssize_t k = 0; k < words->count; k++) {
            pw_letters_of_utf8(table, words->data, words->starts[k], words->ends[k], &letters);
            if (pw_starts_add(table, &letters, &starts) < 0)
                return -1;
        }
        return 0;
    }
    PyObject *iterator = PyObject_GetIter(keys), *key;
    if (iterator == NULL)
        return -1;
    while ((key = PyIter_Next(iterator)) != NULL) {
        int added = 0;
        if (PyUnicode_Check(key)) {
            pw_letters_of(table, key, &letters); /* (usable: shorter than PW_MAX_WORD) */
            added = pw_starts_add(table, &letters, &starts);
        }
        Py_DECREF(key);
        if (added < 0) {
            Py_DECREF(iterator);
            return -1;
        }
    }
    Py_DECREF(iterator);
    return PyErr_Occurred() ? -1 : 0;
}

static void
pw_table_free(PwTable *table)
{
    if (table == NULL)
        return;
    for (Py_ssize_t i = 0; i < table->nrules; i++) {
        PyMem_Free(table->rules[i].cyrillic);
        PyMem_Free(table->rules[i].capital);
        PyMem_Free(table->rules[i].upper);
        PyMem_Free(table->rules[i].before_fits);
    }
    PyMem_Free(table->rules);
    PyMem_Free(table->sequences);
    PyMem_Free(table->hazards);
    for (int i = 0; i < PW_LETTERS; i++) {
        PyMem_Free(table->starting[i]);
        PyMem_Free(table->hazards_by_first[i]);
    }
    PyMem_Free(table->excluded.slots);
    PyMem_Free(table->lexicon.slots);
    PyMem_Free(table->excluded.filter);
    PyMem_Free(table->lexicon.filter);
    PyMem_Free(table->names.slots);
    PyMem_Free(table->names.filter);
    Py_XDECREF(table->entries);
    Py_XDECREF(table->lexicon_dict);
    Py_XDECREF(table->prepare);
    Py_XDECREF(table->suffix_match);
    PyMem_Free(table->stem_suffixes.nodes);
    PyMem_Free(table->stem_suffixes.roots);
    PyMem_Free(table->inflections.nodes);
    PyMem_Free(table->inflections.roots);
    Py_XDECREF(table->alphabet);
    PyMem_Free(table->starts3);
    PyMem_Free(table->starts4);
    PyMem_Free(table->lengths4);
    PyMem_Free(table->keys3);
    PyMem_Free(table);
}

static void
pw_capsule_free(PyObject *capsule)
{
    pw_table_free(PyCapsule_GetPointer(capsule, "translit._accel.PlainTable"));
}

static int
pw_index(const PwTable *table, const char *letter)
{
    return pw_letter(table, (Py_UCS4)(unsigned char)letter[0]);
}

/* plain_table(alphabet, sequences, excluded, names, lexicon, vowels, consonants,
 *             okina_after, hazards, prepare, suffix_match, stem_slots, inflection_slots,
 *             apostrophes)
 *   (excluded: a tuple of collections of words, pw_hashes_fill_parts)
 *   -> capsule; see plainwords.py.
 * The alphabet is a..z, ʻ, ʼ; apostrophes are the marks typed for ʻ and ʼ. */
static PyObject *
plain_table(PyObject *module, PyObject *args)
{
    PyObject *alphabet, *sequences, *excluded, *names, *lexicon, *vowels, *consonants, *after;
    PyObject *hazards, *prepare, *suffix_match, *stem_slots, *inflection_slots, *apostrophes;
    if (!PyArg_ParseTuple(args, "UO!O!OOUUUO!OOO!O!U", &alphabet, &PyTuple_Type, &sequences,
                          &PyTuple_Type, &excluded, &names, &lexicon, &vowels, &consonants, &after,
                          &PyTuple_Type, &hazards, &prepare, &suffix_match, &PyTuple_Type,
                          &stem_slots, &PyTuple_Type, &inflection_slots, &apostrophes))
        return NULL;
    if (PyUnicode_GET_LENGTH(alphabet) != 28 || PyUnicode_GET_LENGTH(apostrophes) > 16) {
        PyErr_SetString(PyExc_ValueError, "plain_table: the alphabet is a..z, ʻ, ʼ");
        return NULL;
    }
    PyObject *entries = PyDict_New();
    if (entries == NULL)
        return NULL;
    Py_ssize_t nletters = PyUnicode_GET_LENGTH(alphabet);
    if (nletters + 1 > PW_LETTERS || PyUnicode_GET_LENGTH(after) != 2) {
        PyErr_SetString(PyExc_ValueError, "plain_table: alphabet too large");
        return NULL;
    }
    PwTable *table = PyMem_Calloc(1, sizeof(PwTable));
    if (table == NULL) {
        Py_DECREF(entries);
        return PyErr_NoMemory();
    }
    table->nletters = (int)nletters + 1;
    table->entries = entries;
    Py_INCREF(lexicon);
    table->lexicon_dict = lexicon;
    Py_INCREF(prepare);
    table->prepare = prepare;
    Py_INCREF(suffix_match);
    table->suffix_match = suffix_match;
    Py_INCREF(alphabet);
    table->alphabet = alphabet;
    for (Py_ssize_t i = 0; i < nletters; i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(alphabet, i);
        table->characters[i + 1] = c;
        if (c < 128)
            table->ascii_index[c] = (int)i + 1;
        else if (table->nextra < PW_LETTERS) {
            table->extra[table->nextra] = c;
            table->extra_index[table->nextra++] = (int)i + 1;
        }
    }
    table->letter_a = table->ascii_index['a'];
    for (char c = 'a'; c <= 'z'; c++)
        if (table->ascii_index[(int)c] != table->letter_a + (c - 'a')) {
            PyErr_SetString(PyExc_ValueError, "plain_table: the alphabet starts with a..z");
            goto fail;
        }
    table->nsequences = PyTuple_GET_SIZE(sequences);
    table->sequences = PyMem_Calloc((size_t)table->nsequences + 1, sizeof(PwSequence));
    if (table->sequences == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t s = 0; s < table->nsequences; s++) {
        PyObject *entry = PyTuple_GET_ITEM(sequences, s), *text, *rules;
        if (!PyArg_ParseTuple(entry, "UO!", &text, &PyTuple_Type, &rules))
            goto fail;
        table->nrules += PyTuple_GET_SIZE(rules);
    }
    table->rules = PyMem_Calloc((size_t)table->nrules + 1, sizeof(PwRule));
    if (table->rules == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    Py_ssize_t rule_at = 0;
    for (Py_ssize_t s = 0; s < table->nsequences; s++) {
        PyObject *entry = PyTuple_GET_ITEM(sequences, s);
        PyObject *text = PyTuple_GET_ITEM(entry, 0), *rules = PyTuple_GET_ITEM(entry, 1);
        PwSequence *sequence = &table->sequences[s];
        pw_letters_of(table, text, sequence);
        sequence->first_rule = (int)rule_at;
        sequence->rule_count = (int)PyTuple_GET_SIZE(rules);
        for (Py_ssize_t r = 0; r < PyTuple_GET_SIZE(rules); r++) {
            PyObject *cyrillic, *capital, *upper;
            Py_buffer before, after_fits;
            PwRule *rule = &table->rules[rule_at++];
            if (!PyArg_ParseTuple(PyTuple_GET_ITEM(rules, r), "UUUy*y*", &cyrillic, &capital,
                                  &upper, &before, &after_fits))
                goto fail;
            int sizes_fit = before.len == table->nsequences + 1 && after_fits.len == table->nletters;
            if (sizes_fit) {
                rule->before_fits = PyMem_Malloc((size_t)before.len);
                if (rule->before_fits != NULL) {
                    memcpy(rule->before_fits, before.buf, (size_t)before.len);
                    memcpy(rule->after_fits, after_fits.buf, (size_t)after_fits.len);
                }
            }
            PyBuffer_Release(&before);
            PyBuffer_Release(&after_fits);
            if (!sizes_fit) {
                PyErr_SetString(PyExc_ValueError, "plain_table: a rule's contexts");
                goto fail;
            }
            rule->cyrillic = pw_utf8(cyrillic, &rule->cyrillic_length);
            rule->capital = rule->cyrillic ? pw_utf8(capital, &rule->capital_length) : NULL;
            rule->upper = rule->capital ? pw_utf8(upper, &rule->upper_length) : NULL;
            if (rule->before_fits == NULL || rule->cyrillic == NULL || rule->capital == NULL
                    || rule->upper == NULL)
                goto fail;
            Py_ssize_t lengths[3] = {rule->cyrillic_length, rule->capital_length,
                                     rule->upper_length};
            for (int k = 0; k < 3; k++)
                if (lengths[k] > table->longest_rule)
                    table->longest_rule = lengths[k];
        }
        if (sequence->usable) {
            int first = sequence->letters[0];
            int *grown = PyMem_Realloc(table->starting[first],
                                       sizeof(int) * (size_t)(table->nstarting[first] + 1));
            if (grown == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
            table->starting[first] = grown;
            grown[table->nstarting[first]++] = (int)s;
        }
    }
    if (table->nsequences >= UINT16_MAX) {
        PyErr_SetString(PyExc_ValueError, "plain_table: too many sequences");
        goto fail;
    }
    for (int a = 1; a < table->nletters; a++) /* pairs, pair_rule: as pw_spell reads */
        for (int b = 0; b < table->nletters; b++) {
            for (int k = 0; k < table->nstarting[a]; k++) {
                int number = table->starting[a][k];
                const PwSequence *sequence = &table->sequences[number];
                if (sequence->length > 2 && sequence->letters[1] == b)
                    break; /* a third letter decides: not here */
                if (sequence->length > 2 || (sequence->length == 2 && sequence->letters[1] != b))
                    continue; /* does not match */
                const PwRule *chosen = NULL;
                int fits = 0; /* whether the first rule that may fit does always */
                for (int r = 0; r < sequence->rule_count && chosen == NULL; r++) {
                    const PwRule *rule = &table->rules[sequence->first_rule + r];
                    int after_always = 1, after_any = 0, before_always = 1;
                    for (int f = 0; f < table->nletters; f++) {
                        after_always &= rule->after_fits[f];
                        after_any |= rule->after_fits[f];
                    }
                    for (Py_ssize_t q = 0; q <= table->nsequences; q++)
                        before_always &= rule->before_fits[q];
                    int may = sequence->length == 1 ? rule->after_fits[b] : after_any;
                    if (!may)
                        continue;
                    chosen = rule;
                    fits = before_always && (sequence->length == 1 || after_always);
                }
                if (chosen != NULL && fits) {
                    PwPair *pair = &table->pairs[a][b];
                    table->pair_rule[a][b] = chosen;
                    pair->read = (unsigned char)sequence->length;
                    pair->previous = (uint16_t)(number + 1);
                    const unsigned char *forms[3] = {chosen->cyrillic, chosen->capital,
                                                     chosen->upper};
                    Py_ssize_t sizes[3] = {chosen->cyrillic_length, chosen->capital_length,
                                           chosen->upper_length};
                    pair->ready = sizes[0] <= 8 && sizes[1] <= 8 && sizes[2] <= 8;
                    for (int f = 0; f < 3 && pair->ready; f++) {
                        memcpy(pair->written[f], forms[f], (size_t)sizes[f]);
                        pair->length[f] = (unsigned char)sizes[f];
                    }
                }
                break; /* decided here, or by what was before or after: pw_spell looks */
            }
        }
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(vowels); i++)
        table->vowel[pw_letter(table, PyUnicode_READ_CHAR(vowels, i))] = 1;
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(consonants); i++)
        table->consonant[pw_letter(table, PyUnicode_READ_CHAR(consonants, i))] = 1;
    table->vowel[0] = table->consonant[0] = 0;
    table->okina_char = PyUnicode_READ_CHAR(alphabet, 26);
    table->okina = pw_letter(table, table->okina_char);
    table->tutuq = pw_letter(table, PyUnicode_READ_CHAR(alphabet, 27));
    table->marks = table->okina < table->tutuq ? table->okina : table->tutuq;
    if (table->marks != table->nletters - 2 || table->okina == table->tutuq) {
        PyErr_SetString(PyExc_ValueError, "plain_table: the alphabet ends with ʻ and ʼ");
        goto fail;
    }
    if (PyUnicode_GET_LENGTH(apostrophes) > 16) {
        PyErr_SetString(PyExc_ValueError, "plain_table: at most 16 apostrophes");
        goto fail;
    }
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(apostrophes); i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(apostrophes, i);
        table->apostrophes[table->napostrophes++] = c;
        if (c < 128)
            table->ascii_apostrophe[c] = 1;
    }
    table->okina_after[0] = pw_letter(table, PyUnicode_READ_CHAR(after, 0));
    table->okina_after[1] = pw_letter(table, PyUnicode_READ_CHAR(after, 1));
    table->nhazards = PyTuple_GET_SIZE(hazards);
    table->hazards = PyMem_Calloc((size_t)table->nhazards + 1, sizeof(PwSequence));
    if (table->hazards == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    for (Py_ssize_t i = 0; i < table->nhazards; i++) {
        PyObject *text = PyTuple_GET_ITEM(hazards, i);
        if (!PyUnicode_Check(text)) {
            PyErr_SetString(PyExc_TypeError, "plain_table: a hazard is a str");
            goto fail;
        }
        pw_letters_of(table, text, &table->hazards[i]);
        if (table->hazards[i].usable)
            table->hazard_first[table->hazards[i].letters[0]] = 1;
    }
    for (int letter = 0; letter < PW_LETTERS; letter++) {
        int count = 0;
        table->hazards_by_first[letter] = PyMem_Malloc(sizeof(int) * (size_t)(table->nhazards + 1));
        if (table->hazards_by_first[letter] == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
        for (Py_ssize_t i = 0; i < table->nhazards; i++)
            if (table->hazards[i].usable && table->hazards[i].letters[0] == letter)
                table->hazards_by_first[letter][count++] = (int)i;
        table->hazards_by_first[letter][count] = -1;
    }
    table->ph[0] = pw_index(table, "p"), table->ph[1] = pw_index(table, "h");
    table->ck[0] = pw_index(table, "c"), table->ck[1] = pw_index(table, "k");
    table->th[0] = pw_index(table, "t"), table->th[1] = pw_index(table, "h");
    table->w = pw_index(table, "w"), table->c = pw_index(table, "c");
    table->h = pw_index(table, "h"), table->o = pw_index(table, "o");
    table->u = pw_index(table, "u"), table->e = pw_index(table, "e");
    table->y = pw_index(table, "y");
    for (int b = 0; b < PW_LETTERS; b++) {
        table->suspect[table->w][b] = table->suspect[table->y][b] = 1;
        table->suspect[table->okina][b] = 1;
        table->suspect[table->c][b] = b != table->h;
    }
    table->suspect[table->ph[0]][table->ph[1]] = table->suspect[table->ck[0]][table->ck[1]] = 1;
    table->suspect[table->th[0]][table->th[1]] = 1;
    table->suspect[table->o][table->o] = 1;
    for (Py_ssize_t i = 0; i < table->nhazards; i++) {
        const PwSequence *hazard = &table->hazards[i];
        if (!hazard->usable)
            continue;
        for (int b = 0; b < PW_LETTERS; b++)
            if (hazard->length == 1 || hazard->letters[1] == b)
                table->suspect[hazard->letters[0]][b] = 1;
    }
    memset(table->suspect[0], 0, PW_LETTERS); /* no letter before a word's first (pw_token) */
    for (int a = 0; a < PW_LETTERS; a++)
        for (int b = 0; b < PW_LETTERS; b++)
            table->letter_flags[a][b] = (unsigned char)((table->suspect[a][b] ? PW_SUSPECT : 0)
                                                        | (table->vowel[b] ? PW_VOWEL : 0));
    /* (the lexicon's keys: a WordSet of lexicon_keys, read as they are, or a dict) */
    PyObject *lexicon_parts = PyTuple_Pack(1, lexicon);
    int filled = lexicon_parts != NULL
        && pw_hashes_fill_parts(&table->lexicon, lexicon_parts) == 0;
    Py_XDECREF(lexicon_parts);
    if (!filled || pw_hashes_fill_parts(&table->excluded, excluded) < 0
            || pw_hashes_fill(&table->names, names) < 0)
        goto fail;
    if (pw_starts_fill(table, lexicon) < 0)
        goto fail;
    if (pw_suffixes_fill(table, &table->stem_suffixes, stem_slots) < 0
            || pw_suffixes_fill(table, &table->inflections, inflection_slots) < 0)
        goto fail;
    PyObject *capsule = PyCapsule_New(table, "translit._accel.PlainTable", pw_capsule_free);
    if (capsule == NULL)
        goto fail;
    return capsule;
fail:
    pw_table_free(table);
    return NULL;
}

/* Whether the small letters of a word have what latin._FOREIGN_CLUSTERS finds (ph, ck, w,
 * c not before h, th at the start, oo not at the start and two consonants at most at the end, ue at the end, y between
 * consonants or after one at the end), a hazard of the table speller, a ʻ not after o or
 * g, or no vowel: then the word is not plain. */
static int
pw_unplain(const PwTable *t, const unsigned char *l, int n)
{
    int vowels = 0;
    for (int i = 0; i < n; i++) {
        int a = l[i], b = i + 1 < n ? l[i + 1] : 0;
        vowels |= t->vowel[a];
        if (!t->suspect[a][b])
            continue;
        if ((a == t->ph[0] && b == t->ph[1]) || (a == t->ck[0] && b == t->ck[1]) || a == t->w
                || (a == t->c && b != t->h) || (i == 0 && a == t->th[0] && b == t->th[1]))
            return 1;
        if (a == t->y && i > 0 && t->consonant[l[i - 1]] && (b == 0 || t->consonant[b]))
            return 1;
        if (a == t->okina && (i == 0 || (l[i - 1] != t->okina_after[0]
                                         && l[i - 1] != t->okina_after[1])))
            return 1;
        if (a == t->o && b == t->o && i > 0) {
            int j = i + 2;
            while (j < n && t->consonant[l[j]])
                j++;
            if (j == n && n - (i + 2) <= 2)
                return 1;
        }
        if (!t->hazard_first[a])
            continue;
        for (const int *h = t->hazards_by_first[a]; *h >= 0; h++) {
            const PwSequence *hazard = &t->hazards[*h];
            if (i + hazard->length > n)
                continue;
            int same = 1;
            for (int j = 1; j < hazard->length && same; j++)
                same = l[i + j] == hazard->letters[j];
            if (same)
                return 1;
        }
    }
    if (!vowels)
        return 1;
    if (n >= 2 && l[n - 2] == t->u && l[n - 1] == t->e)
        return 1;
    return 0;
}

typedef struct { /* UTF-8 */
    unsigned char *data;
    Py_ssize_t length, size;
} PwBuffer;

static int
pw_reserve(PwBuffer *buffer, Py_ssize_t more)
{
    if (buffer->length + more <= buffer->size)
        return 0;
    Py_ssize_t size = buffer->size ? buffer->size : 256;
    while (size < buffer->length + more)
        size *= 2;
    unsigned char *grown = PyMem_Realloc(buffer->data, (size_t)size);
    if (grown == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    buffer->data = grown;
    buffer->size = size;
    return 0;
}

/* text[start:end] in UTF-8 (a lone surrogate as three bytes, as "surrogatepass" writes it:
 * no text this pass writes has one) */
static int
pw_append_any_text(PwBuffer *buffer, int kind, const void *data, Py_ssize_t start,
                   Py_ssize_t end)
{
    if (pw_reserve(buffer, 4 * (end - start)) < 0)
        return -1;
    unsigned char *to = buffer->data + buffer->length;
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c < 0x80)
            *to++ = (unsigned char)c;
        else if (c < 0x800) {
            *to++ = (unsigned char)(0xC0 | (c >> 6));
            *to++ = (unsigned char)(0x80 | (c & 0x3F));
        }
        else if (c < 0x10000) {
            *to++ = (unsigned char)(0xE0 | (c >> 12));
            *to++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            *to++ = (unsigned char)(0x80 | (c & 0x3F));
        }
        else {
            *to++ = (unsigned char)(0xF0 | (c >> 18));
            *to++ = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
            *to++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            *to++ = (unsigned char)(0x80 | (c & 0x3F));
        }
    }
    buffer->length = to - buffer->data;
    return 0;
}

/* pw_append_any_text, where nothing or one ASCII character (most often: the space between
 * two words, a word's comma, no quotation mark before it) is written in place, no call */
static inline __attribute__((always_inline)) int
pw_append_text(PwBuffer *buffer, const int kind, const void *data, Py_ssize_t start,
               Py_ssize_t end)
{
    if (start >= end) /* (nothing: no arithmetic on a buffer not yet made) */
        return 0;
    Py_UCS4 c = PyUnicode_READ(kind, data, start);
    if (end - start == 1 && c < 0x80 && buffer->length < buffer->size) {
        buffer->data[buffer->length++] = (unsigned char)c;
        return 0;
    }
    return pw_append_any_text(buffer, kind, data, start, end);
}

/* The small letters l[0:n] read by the rules as a word of their own after the sequence
 * `previous` (0: none; else 1 + its number), written to out if `write` (the first letter
 * written a capital if `capital` is PW_FIRST, every letter if PW_ALL); *last is the last
 * sequence read. Return 1, or 0 where a letter has no rule (nothing written), or -1. */
#define PW_FIRST 1
#define PW_ALL 2
static int
pw_spell(const PwTable *t, PwBuffer *out, const unsigned char *l, int n, int previous,
         int capital, int write, int *last)
{
    Py_ssize_t mark = out->length;
    if (write && pw_reserve(out, (Py_ssize_t)n * t->longest_rule + 8) < 0)
        return -1; /* (+8: a pair's rule is written as 8 bytes, then counted as its own) */
    /* (in locals: for the compiler a byte written to out->data could be any field that the
     * loop reads, out->length or the table's, read again after each letter) */
    unsigned char *data = out->data;
    Py_ssize_t length = out->length;
    for (int i = 0; i < n;) {
        if (write && capital == 0) {
            /* Most steps: small letters written, a letter before another (not the word's
             * end: no test of where the next letter is), the pair deciding. The same steps
             * as below, in half the instructions (the pass about 1.1 x faster). */
            while (i + 1 < n) {
                const PwPair *pair = &t->pairs[l[i]][l[i + 1]];
                if (!pair->ready)
                    break;
                memcpy(data + length, pair->written[0], 8);
                length += pair->length[0];
                previous = pair->previous;
                if (pair->read == 1) {
                    i++;
                    continue;
                }
                __asm__ volatile(""); /* (a branch, not a conditional move: see below) */
                i += 2;
            }
            if (i >= n)
                break;
        }
        const PwPair *pair = &t->pairs[l[i]][i + 1 < n ? l[i + 1] : 0];
        if (pair->ready) { /* decided by the letter and the one after it */
            int pair_read = pair->read, after = pair->previous;
            if (write) {
                int size = pair->length[capital];
                memcpy(data + length, pair->written[capital], 8);
                length += size;
                if (capital == PW_FIRST && size)
                    capital = 0;
            }
            previous = after;
            /* One letter read (most often) or two: a branch the processor foresees. As a
             * conditional move (what the compiler made of `i += pair_read`), each step
             * waited for the pair's answer before it could read the next letter (the
             * whole pass 1.2 x slower); the empty asm keeps the two ways apart. */
            if (pair_read == 1) {
                i++;
                continue;
            }
            __asm__ volatile("");
            i += 2;
            continue;
        }
        out->length = length;
        const PwRule *found = NULL;
        const PwSequence *read = NULL;
        int read_number = pair->previous - 1;
        if (pair->read) { /* decided by the pair, its forms longer than 8 bytes */
            read = &t->sequences[read_number];
            found = t->pair_rule[l[i]][i + 1 < n ? l[i + 1] : 0];
        }
        for (int k = 0; k < t->nstarting[l[i]] && found == NULL; k++) {
            int number = t->starting[l[i]][k];
            const PwSequence *sequence = &t->sequences[number];
            if (i + sequence->length > n)
                continue;
            int same = 1;
            for (int j = 1; j < sequence->length && same; j++) /* its first letter is l[i] */
                same = l[i + j] == sequence->letters[j];
            if (!same)
                continue;
            int following = i + sequence->length < n ? l[i + sequence->length] : 0;
            for (int r = 0; r < sequence->rule_count; r++) {
                const PwRule *rule = &t->rules[sequence->first_rule + r];
                if (rule->before_fits[previous] && rule->after_fits[following]) {
                    found = rule, read = sequence, read_number = number;
                    break;
                }
            }
        }
        if (found == NULL) { /* a letter no rule reads: the Python way */
            out->length = mark;
            return 0;
        }
        if (write) {
            const unsigned char *text = found->cyrillic;
            Py_ssize_t size = found->cyrillic_length;
            if (capital == PW_ALL)
                text = found->upper, size = found->upper_length;
            else if (capital && size > 0)
                text = found->capital, size = found->capital_length, capital = 0;
            memcpy(out->data + out->length, text, (size_t)size); /* room made before */
            out->length += size;
        }
        length = out->length;
        previous = 1 + read_number;
        i += read->length;
    }
    out->length = length;
    *last = previous;
    return 1;
}

static int
pw_append_str(PwBuffer *out, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "plain_table: an entry's Cyrillic is a str");
        return -1;
    }
    Py_ssize_t size;
    const char *bytes = PyUnicode_AsUTF8AndSize(text, &size); /* (kept in the str) */
    if (bytes == NULL || pw_reserve(out, size) < 0)
        return -1;
    memcpy(out->data + out->length, bytes, (size_t)size);
    out->length += size;
    return 0;
}

#define PW_SPELL 2 /* pw_lexicon: no entry is taken, the rules spell the word */

/* A word with a key of the lexicon as its first letters (three or more, or whole), as
 * reverse.CyrillicConverter._word takes it: the entry of the whole word, else of the
 * longest stem that Uzbek suffixes follow (its last ь goes; the suffixes by the rules,
 * after the stem's last sequence). hashes[k] is the hash of l[0:k] (before pw_hash_final).
 * Return 1 if written,
 * PW_SPELL, 0 (hand back), or -1 on error. */
static int
pw_lexicon(const PwTable *t, PwBuffer *out, const unsigned char *l, int n,
           const uint64_t *hashes, int capitalized)
{
    Py_UCS4 small[PW_MAX_WORD] = {0}; /* (all set below; the compiler cannot tell) */
    for (int i = 0; i < n; i++)
        small[i] = t->characters[l[i]];
    PyObject *lower = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, small, n);
    if (lower == NULL)
        return -1;
    int result = PW_SPELL;
    for (int size = n; size >= 3 && result == PW_SPELL; size--) {
        if (!pw_hashes_has(&t->lexicon, pw_hash_final(hashes[size])))
            continue;
        PyObject *key = size == n ? (Py_INCREF(lower), lower) : PyUnicode_Substring(lower, 0, size);
        if (key == NULL) {
            result = -1;
            break;
        }
        PyObject *entry = PyDict_GetItemWithError(t->entries, key); /* borrowed */
        if (entry == NULL && !PyErr_Occurred()) { /* first met: prepared, remembered */
            int is_key = PySequence_Contains(t->lexicon_dict, key);
            if (is_key > 0) { /* a key */
                PyObject *prepared = PyObject_CallOneArg(t->prepare, key);
                if (prepared != NULL && PyDict_SetItem(t->entries, key, prepared) == 0)
                    entry = prepared; /* the dict holds it */
                Py_XDECREF(prepared);
            }
        }
        Py_DECREF(key);
        if (entry == NULL) {
            if (PyErr_Occurred())
                result = -1;
            if (result < 0)
                break;
            continue;
        }
        if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 5) {
            PyErr_SetString(PyExc_TypeError, "plain_table: an entry is a tuple of 5");
            result = -1;
            break;
        }
        long flags = PyLong_AsLong(PyTuple_GET_ITEM(entry, 0));
        if (flags == -1 && PyErr_Occurred()) {
            result = -1;
            break;
        }
        if (size == n) {
            if (flags & (capitalized ? PW_WHOLE_CAPITAL : PW_WHOLE_SMALL))
                result = pw_append_str(out, PyTuple_GET_ITEM(entry, capitalized ? 2 : 1)) < 0
                    ? -1 : 1;
            continue;
        }
        if (!(flags & (capitalized ? PW_STEM_CAPITAL : PW_STEM_SMALL)))
            continue;
        int matched;
        if (flags & PW_NAME) { /* (uzbek-words.tsv has its say after a name: Python's) */
            PyObject *match = PyObject_CallFunction(t->suffix_match, "On", lower,
                                                    (Py_ssize_t)size);
            if (match == NULL) {
                result = -1;
                break;
            }
            matched = match != Py_None;
            Py_DECREF(match);
        }
        else
            matched = pw_suffixes_read(&t->stem_suffixes, l + size, n - size);
        if (!matched)
            continue;
        int last;
        Py_ssize_t mark = out->length;
        int read = pw_spell(t, out, l, size, 0, 0, 0, &last);
        if (read == 1 && pw_append_str(out, PyTuple_GET_ITEM(entry, capitalized ? 4 : 3)) < 0)
            read = -1;
        if (read == 1)
            read = pw_spell(t, out, l + size, n - size, last, 0, 1, &last);
        if (read == 0)
            out->length = mark;
        result = read;
    }
    Py_DECREF(lower);
    return result;
}

static inline int
pw_is_apostrophe(const PwTable *t, Py_UCS4 c)
{
    if (c < 128)
        return t->ascii_apostrophe[c];
    for (int i = 0; i < t->napostrophes; i++)
        if (t->apostrophes[i] == c)
            return 1;
    return 0;
}

/* Whether the small letters l[0:n] are Uzbek suffixes after an apostrophe (1) or not (0):
 * the slots after a name (reverse.Suffixes.match(suffixes)). */
static int
pw_suffix_after(const PwTable *t, const unsigned char *l, int n)
{
    return n > 0 && pw_suffixes_read(&t->inflections, l, n);
}

/* Quotation marks and brackets a plain word may stand in (foreign.core takes them off). */
static inline int
pw_opens(Py_UCS4 c)
{
    return c == 0xab || c == 0x201c || c == 0x201e || c == '"' || c == '(' || c == '[';
}

static inline int
pw_closes(Py_UCS4 c)
{
    return c == 0xbb || c == 0x201d || c == '"' || c == ')' || c == ']' || c == ',' || c == '.'
        || c == '!' || c == '?' || c == ';' || c == ':';
}

/* The letter an apostrophe typed after the letters l[0:n] stands for, read by position
 * (latin.normalized): ʻ after o or g, else ʼ; between two letters only (`next_is_letter`:
 * at a word's edge it may be a quotation mark), and not after another; else 0. */
static inline int
pw_apostrophe_read(const PwTable *t, const unsigned char *l, int n, int next_is_letter)
{
    if (n == 0 || l[n - 1] == t->okina || l[n - 1] == t->tutuq || !next_is_letter)
        return 0;
    return l[n - 1] == t->okina_after[0] || l[n - 1] == t->okina_after[1] ? t->okina : t->tutuq;
}

/* Where the closing marks (pw_closes) from text[at] end, at a space or at `size`; -1 where
 * something else comes before. */
static inline __attribute__((always_inline)) Py_ssize_t
pw_closing_marks(const int kind, const void *data, Py_ssize_t at, Py_ssize_t size)
{
    for (; at < size; at++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, at);
        if (Py_UNICODE_ISSPACE(c))
            break;
        if (!pw_closes(c))
            return -1;
    }
    return at;
}

#define PW_NUMBER 2 /* pw_token: a number, written as it is (no word: no phrase ends at it) */

/* Write the Cyrillic of the token text[start:end] if it is plain: a plain word, perhaps in
 * quotation marks or brackets, or a number (digits, perhaps in them, and the punctuation
 * after them: a token with digits and no word is no word of a phrase, reverse._phrase_flags,
 * and is written as it is); return
 * 1 if written (PW_NUMBER for a number), 0 if not plain (nothing written), -1 on error. */
static inline __attribute__((always_inline)) int
pw_token(const PwTable *t, PwBuffer *out, const int kind, const void *data,
         Py_ssize_t token_start, Py_ssize_t size, Py_ssize_t *token_end)
{
    unsigned char l[PW_MAX_WORD];
    int n = 0, capitalized = 0;
    Py_ssize_t start = token_start, end;
    *token_end = -1;
    while (start < size && pw_opens(PyUnicode_READ(kind, data, start)))
        start++;
    if (start == size)
        return 0;
    Py_UCS4 first = PyUnicode_READ(kind, data, start);
    if (first >= '0' && first <= '9') { /* digits, perhaps in quotation marks or brackets */
        Py_ssize_t at = start;
        while (at < size && PyUnicode_READ(kind, data, at) >= '0'
               && PyUnicode_READ(kind, data, at) <= '9')
            at++;
        if ((end = pw_closing_marks(kind, data, at, size)) < 0)
            return 0;
        *token_end = end;
        return pw_append_text(out, kind, data, token_start, end) < 0 ? -1 : PW_NUMBER;
    }
    if (first >= 'A' && first <= 'Z')
        capitalized = 1;
    else if (!(first >= 'a' && first <= 'z'))
        return 0;
    uint64_t lower = PW_HASH_START;
    Py_ssize_t at = start;
    int lexicon_prefix = 0, keyed = 0, cut = -1, typed = 0;
    uint64_t key_lengths = 0; /* of the keys that start with the word's first four letters */
    int flags = 0; /* what pw_unplain looks at (letter_flags), found as the letters are read */
    int before = 0; /* the letter before (0: none; suspect[0][...] is 0) */
    /* a word of capitals (SHAHAR, OʻZBEK): letters A..Z, three or more, and ʻ or ʼ (typed as
     * any apostrophe, read by position as below) between two of them */
    Py_UCS4 second = start + 1 < size ? PyUnicode_READ(kind, data, start + 1) : 0;
    int capitals = capitalized && second >= 'A' && second <= 'Z';
    uint64_t hashes[PW_MAX_WORD];
    Py_UCS4 first_shift = capitalized ? 'a' - 'A' : 0; /* to the first character's small */
    for (; at < size; at++) { /* (a space is no letter: the loop ends at the token's end) */
        Py_UCS4 c = PyUnicode_READ(kind, data, at);
        Py_UCS4 small = c + first_shift;
        first_shift = 0;
        int letter;
        if (capitals) {
            if (c >= 'A' && c <= 'Z')
                letter = pw_letter(t, c + ('a' - 'A'));
            else if ((letter = pw_letter(t, c)) == t->okina)
                ; /* ʻ itself is a letter, as in small letters */
            else if (letter == t->tutuq || (letter == 0 && pw_is_apostrophe(t, c))) {
                Py_UCS4 next = at + 1 < size ? PyUnicode_READ(kind, data, at + 1) : 0;
                if (!(letter = pw_apostrophe_read(t, l, n, next >= 'A' && next <= 'Z')))
                    break;
                typed = 1;
            }
            else
                break;
        }
        else if ((letter = pw_letter(t, small)) == t->tutuq
                 || (letter == 0 && pw_is_apostrophe(t, c))) {
            Py_UCS4 next = at + 1 < size ? PyUnicode_READ(kind, data, at + 1) : 0;
            if (!(letter = pw_apostrophe_read(t, l, n, next >= 'a' && next <= 'z')))
                break;
            typed = 1;
        }
        if (letter == 0) /* a capital after the first, or no letter */
            break;
        if (n >= PW_MAX_WORD - 1)
            return 0;
        if (letter >= t->marks) /* ʻ or ʼ */
            cut = n;
        flags |= t->letter_flags[before][letter];
        before = letter;
        l[n++] = (unsigned char)letter;
        lower = pw_hash_step(lower, t->characters[letter]);
        hashes[n] = lower; /* (made final where it is looked up: at few lengths) */
    }
    /* The lexicon's keys among the word's first letters, looked up once the letters are
     * read (in the loop, the tests of each letter were a fifth of the pass) */
    if (n >= 3) {
        keyed = t->starts3[PW_AT3(l)];
        lexicon_prefix = t->keys3[PW_AT3(l)];
    }
    if (n >= 4 && keyed) {
        uint16_t found = t->starts4[PW_AT4(l)];
        key_lengths = found ? t->lengths4[found - 1] : 0;
        for (int k = 4; k <= n && !lexicon_prefix; k++)
            if ((key_lengths >> k & 1) && pw_hashes_has(&t->lexicon, pw_hash_final(hashes[k])))
                lexicon_prefix = 1;
    }
    int suspect = flags & PW_SUSPECT, vowels = flags & PW_VOWEL;
    if (capitalized && n < 2)
        return 0;
    if (capitals) {
        /* the lexicon's cases of capitals, and Roman numerals (XXI), the Python way */
        int roman = 1;
        for (int i = 0; i < n && roman; i++) {
            Py_UCS4 c = t->characters[l[i]];
            roman = c == 'm' || c == 'd' || c == 'c' || c == 'l' || c == 'x' || c == 'v'
                || c == 'i';
        }
        if (n < 3 || lexicon_prefix || roman)
            return 0;
    }
    if ((end = pw_closing_marks(kind, data, at, size)) < 0) /* then closing marks only */
        return 0;
    *token_end = end;
    /* (pw_unplain looks further only at a pair that may start what it looks for, and at a
     * word without a vowel or ending in ue: most words have none, and are not looked at) */
    suspect |= t->suspect[before][0];
    if ((suspect || !vowels || (n >= 2 && l[n - 2] == t->u && l[n - 1] == t->e))
            && pw_unplain(t, l, n))
        return 0;
    if (pw_hashes_has(&t->excluded, pw_hash_final(lower)))
        return 0;
    if (typed || capitalized) {
        /* the word as typed (cased), and with the capitals the reading lowered (raw) */
        uint64_t cased = PW_HASH_START, raw = PW_HASH_START;
        int titled = capitalized && !capitals; /* (a name's first letters: Linux-da) */
        for (Py_ssize_t i = start; i < at; i++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, i);
            if (titled && i - start >= 2 && pw_hashes_has(&t->names, pw_hash_final(cased)))
                return 0;
            cased = pw_hash_step(cased, c);
            int lowered = (capitals || i == start) && c >= 'A' && c <= 'Z';
            raw = pw_hash_step(raw, lowered ? c + ('a' - 'A') : c);
        }
        if ((typed && pw_hashes_has(&t->excluded, pw_hash_final(raw)))
                || (capitalized && pw_hashes_has(&t->excluded, pw_hash_final(cased))))
            return 0;
    }
    if (cut > 0 && l[cut - 1] != t->okina_after[0] && l[cut - 1] != t->okina_after[1]) {
        /* a name and an Uzbek suffix after an apostrophe (Linux'da): the Python way */
        if (pw_suffix_after(t, l + cut + 1, n - cut - 1))
            return 0;
    }
    Py_ssize_t mark = out->length;
    if (pw_append_text(out, kind, data, token_start, start) < 0)
        return -1;
    int written = lexicon_prefix ? pw_lexicon(t, out, l, n, hashes, capitalized) : PW_SPELL;
    if (written == PW_SPELL) {
        int last;
        written = pw_spell(t, out, l, n, 0, capitals ? PW_ALL : capitalized ? PW_FIRST : 0,
                           1, &last);
    }
    if (written <= 0) {
        out->length = mark;
        return written;
    }
    return pw_append_text(out, kind, data, at, end) < 0 ? -1 : 1;
}

/* The run text[run_start:run_end] handed back, after what is done before it; or, where
 * `runs` (a dict) holds the run's output already, that output written on. */
static int
pw_flush(PyObject *pieces, PwBuffer *done, PyObject *text, Py_ssize_t run_start,
         Py_ssize_t run_end, PyObject *runs)
{
    PyObject *run = NULL; /* the run as a str: the key looked up, then the piece */
    if (run_start >= 0) {
        run = PyUnicode_Substring(text, run_start, run_end);
        if (run == NULL)
            return -1;
    }
    if (run != NULL && runs != NULL) {
        PyObject *known = PyDict_GetItemWithError(runs, run); /* borrowed */
        if (known == NULL && PyErr_Occurred()) {
            Py_DECREF(run);
            return -1;
        }
        if (known != NULL && PyBytes_Check(known)) {
            Py_ssize_t size = PyBytes_GET_SIZE(known);
            Py_DECREF(run);
            if (pw_reserve(done, size) < 0)
                return -1;
            memcpy(done->data + done->length, PyBytes_AS_STRING(known), (size_t)size);
            done->length += size;
            return 0;
        }
    }
    PyObject *piece = PyBytes_FromStringAndSize((const char *)done->data, done->length);
    if (piece == NULL || PyList_Append(pieces, piece) < 0) {
        Py_XDECREF(piece);
        Py_XDECREF(run);
        return -1;
    }
    Py_DECREF(piece);
    done->length = 0;
    if (run == NULL)
        return 0;
    int appended = PyList_Append(pieces, run);
    Py_DECREF(run);
    return appended;
}

/* The tokens of text[from:to] (pw_region's loop over one region): the plain ones written
 * to `done`, each run of the others flushed to `pieces` (pw_flush) as it ends, the last one
 * at `to`. */
static inline __attribute__((always_inline)) int
pw_range(const PwTable *t, PyObject *text, PyObject *runs, const int kind, Py_ssize_t from,
         Py_ssize_t size, PyObject *pieces, PwBuffer *done, PwBuffer *aside)
{
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t at = from, run_start = -1, run_end = from;
    while (at < size) {
        Py_ssize_t end = at;
        if (Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, at))) {
            while (end < size && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end)))
                end++;
            if (run_start < 0 && pw_append_text(done, kind, data, at, end) < 0)
                return -1;
            at = end;
            continue;
        }
        Py_ssize_t mark = done->length;
        /* (the token's end is found as it is read; where it is not plain, perhaps here) */
        int in_run = run_start >= 0, number = 0;
        if (in_run) /* in a run: spell aside, as the spaces before wait */
            aside->length = 0;
        int plain = pw_token(t, in_run ? aside : done, kind, data, at, size, &end);
        if (end < 0)
            for (end = at; end < size && !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end));)
                end++;
        if (in_run) {
            if (plain == PW_NUMBER) { /* no word: it does not end the run (a phrase may go
                                       * on past it), but it is not in it either: the run
                                       * ends at its last token with a word (run_end) */
                plain = 0;
                number = 1;
            }
            if (plain == 1) { /* the run ends: it goes back, what follows it is written */
                if (pw_flush(pieces, done, text, run_start, run_end, runs) < 0
                        || pw_append_text(done, kind, data, run_end, at) < 0
                        || pw_reserve(done, aside->length) < 0)
                    return -1;
                memcpy(done->data + done->length, aside->data, (size_t)aside->length);
                done->length += aside->length;
                run_start = -1;
            }
        }
        if (plain < 0)
            return -1;
        if (plain == 0) {
            done->length = run_start < 0 ? mark : done->length;
            if (run_start < 0)
                run_start = at;
            if (!number)
                run_end = end;
        }
        at = end;
    }
    if (run_start >= 0) {
        if (pw_flush(pieces, done, text, run_start, run_end, runs) < 0
                || pw_append_text(done, kind, data, run_end, size) < 0)
            return -1;
    }
    return 0;
}

/* plain_region(table, text, runs, kept=None) -> [done, run, done, ..., done]: the plain
 * tokens of text in Cyrillic, in UTF-8 (bytes), each run of other tokens (and the spaces
 * between them) as it is (a str), for Python, unless the dict `runs` has its output (bytes:
 * written on). `kept`: the spans (start, end) kept as they are, in order, none overlapping
 * (KeptSpans.find): the text between them is read as regions of their own (no run goes
 * past a kept span), each span written as it is in UTF-8 (a lone surrogate as
 * "surrogatepass" writes it) among the plain tokens' bytes. */
static inline __attribute__((always_inline)) PyObject *
pw_region(const PwTable *t, PyObject *text, PyObject *runs, PyObject *kept, const int kind)
{
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t size = PyUnicode_GET_LENGTH(text), from = 0;
    Py_ssize_t nkept = kept == NULL ? 0 : PyList_GET_SIZE(kept);
    PwBuffer done = {NULL, 0, 0}, aside = {NULL, 0, 0};
    PyObject *pieces = PyList_New(0);
    if (pieces == NULL)
        return NULL;
    for (Py_ssize_t k = 0; k <= nkept; k++) {
        Py_ssize_t to = size, next = size;
        if (k < nkept) {
            PyObject *span = PyList_GET_ITEM(kept, k);
            if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 2) {
                PyErr_SetString(PyExc_TypeError, "plain_region: a kept span is (start, end)");
                goto fail;
            }
            to = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 0));
            next = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 1));
            if ((to == -1 || next == -1) && PyErr_Occurred())
                goto fail;
            if (to < from || next < to || next > size) {
                PyErr_SetString(PyExc_ValueError,
                                "plain_region: kept spans are in order, inside the text");
                goto fail;
            }
        }
        if (pw_range(t, text, runs, kind, from, to, pieces, &done, &aside) < 0
                || pw_append_any_text(&done, kind, data, to, next) < 0)
            goto fail;
        from = next;
    }
    if (pw_flush(pieces, &done, text, -1, 0, NULL) < 0)
        goto fail;
    PyMem_Free(done.data);
    PyMem_Free(aside.data);
    return pieces;
fail:
    PyMem_Free(done.data);
    PyMem_Free(aside.data);
    Py_DECREF(pieces);
    return NULL;
}

static PyObject *
plain_region(PyObject *module, PyObject *args)
{
    PyObject *capsule, *text, *runs, *kept = Py_None;
    if (!PyArg_ParseTuple(args, "OUO!|O", &capsule, &text, &PyDict_Type, &runs, &kept))
        return NULL;
    if (kept == Py_None)
        kept = NULL;
    else if (!PyList_Check(kept)) {
        PyErr_SetString(PyExc_TypeError, "plain_region: kept is a list of spans or None");
        return NULL;
    }
    const PwTable *t = PyCapsule_GetPointer(capsule, "translit._accel.PlainTable");
    if (t == NULL)
        return NULL;
    /* each kind of str read directly: pw_region and pw_token with the kind a constant
     * (the pass about 1.1 x faster on the 10 MB corpus's Latin than with the kind read) */
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        return pw_region(t, text, runs, kept, PyUnicode_1BYTE_KIND);
    case PyUnicode_2BYTE_KIND:
        return pw_region(t, text, runs, kept, PyUnicode_2BYTE_KIND);
    default:
        return pw_region(t, text, runs, kept, PyUnicode_4BYTE_KIND);
    }
}

/* ---- end of the Latin → Cyrillic section ---- */

/* ---- Suffixes (wordlists.suffix_matcher): suffix_pattern's match without its regex ----
 *
 * suffix_matcher(slots) -> SuffixMatcher: slots, a tuple of tuples of str (the forms of
 * each slot of suffixes.tsv, wordlists.suffix_slots); `match(text, pos=0)` is True where
 * text[pos:] is, all of it, a form of each slot or none, slot after slot (what
 * suffix_pattern's regex, (?:forms)?(?:forms)?...\Z, matches; pos as re's: below 0 is 0,
 * past the end is the end), else None. Compiling that regex, its first slot of 250 forms,
 * was 3 ms of every start to Cyrillic; this one is made at once. */

typedef struct {
    PyObject_HEAD
    Py_ssize_t nslots;
    Py_ssize_t *slot_start; /* [nslots + 1]: slot i's forms are slot_start[i] .. [i + 1] - 1 */
    Py_ssize_t *form_start, *form_length; /* each form's characters in chars */
    Py_UCS4 *chars;
} SuffixMatcher;

static void
SuffixMatcher_dealloc(SuffixMatcher *self)
{
    PyMem_Free(self->slot_start);
    PyMem_Free(self->form_start);
    PyMem_Free(self->form_length);
    PyMem_Free(self->chars);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyTypeObject SuffixMatcherType;

static PyObject *
suffix_matcher(PyObject *module, PyObject *args)
{
    PyObject *slots;
    if (!PyArg_ParseTuple(args, "O!", &PyTuple_Type, &slots))
        return NULL;
    Py_ssize_t nslots = PyTuple_GET_SIZE(slots), nforms = 0, nchars = 0;
    for (Py_ssize_t i = 0; i < nslots; i++) {
        PyObject *forms = PyTuple_GET_ITEM(slots, i);
        if (!PyTuple_Check(forms)) {
            PyErr_SetString(PyExc_TypeError, "suffix_matcher: each slot is a tuple of str");
            return NULL;
        }
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(forms); k++) {
            PyObject *form = PyTuple_GET_ITEM(forms, k);
            if (!PyUnicode_Check(form)) {
                PyErr_SetString(PyExc_TypeError, "suffix_matcher: each slot is a tuple of str");
                return NULL;
            }
            nforms++;
            nchars += PyUnicode_GET_LENGTH(form);
        }
    }
    SuffixMatcher *self = PyObject_New(SuffixMatcher, &SuffixMatcherType);
    if (self == NULL)
        return NULL;
    self->slot_start = self->form_start = self->form_length = NULL;
    self->chars = NULL;
    self->nslots = nslots;
    self->slot_start = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(nslots + 1));
    self->form_start = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(nforms + 1));
    self->form_length = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(nforms + 1));
    self->chars = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(nchars + 1));
    if (self->slot_start == NULL || self->form_start == NULL || self->form_length == NULL
            || self->chars == NULL) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    Py_ssize_t form = 0, at = 0;
    for (Py_ssize_t i = 0; i < nslots; i++) {
        PyObject *forms = PyTuple_GET_ITEM(slots, i);
        self->slot_start[i] = form;
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(forms); k++, form++) {
            PyObject *text = PyTuple_GET_ITEM(forms, k);
            Py_ssize_t length = PyUnicode_GET_LENGTH(text);
            self->form_start[form] = at;
            self->form_length[form] = length;
            for (Py_ssize_t j = 0; j < length; j++)
                self->chars[at++] = PyUnicode_READ_CHAR(text, j);
        }
    }
    self->slot_start[nslots] = form;
    return (PyObject *)self;
}

static PyObject *
SuffixMatcher_match(SuffixMatcher *self, PyObject *args)
{
    PyObject *text;
    Py_ssize_t pos = 0;
    if (!PyArg_ParseTuple(args, "U|n", &text, &pos))
        return NULL;
    Py_ssize_t size = PyUnicode_GET_LENGTH(text);
    pos = pos < 0 ? 0 : pos > size ? size : pos;
    Py_ssize_t n = size - pos;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    unsigned char small[128];
    /* reach[p]: text[pos:pos + p] is forms of the slots read so far */
    unsigned char *reach = n < (Py_ssize_t)sizeof(small) ? small : PyMem_Malloc((size_t)n + 1);
    if (reach == NULL)
        return PyErr_NoMemory();
    memset(reach, 0, (size_t)n + 1);
    reach[0] = 1;
    for (Py_ssize_t slot = 0; slot < self->nslots; slot++)
        /* from the end back: a place reached by this slot's form is not read again for
         * another form of the same slot (it is behind) */
        for (Py_ssize_t p = n; p >= 0; p--) {
            if (!reach[p])
                continue;
            for (Py_ssize_t f = self->slot_start[slot]; f < self->slot_start[slot + 1]; f++) {
                Py_ssize_t length = self->form_length[f];
                if (p + length > n || reach[p + length])
                    continue;
                const Py_UCS4 *form = self->chars + self->form_start[f];
                Py_ssize_t j = 0;
                while (j < length && PyUnicode_READ(kind, data, pos + p + j) == form[j])
                    j++;
                if (j == length)
                    reach[p + length] = 1;
            }
        }
    int found = reach[n];
    if (reach != small)
        PyMem_Free(reach);
    if (found)
        Py_RETURN_TRUE;
    Py_RETURN_NONE;
}

static PyMethodDef SuffixMatcher_methods[] = {
    {"match", (PyCFunction)SuffixMatcher_match, METH_VARARGS,
     "match(text, pos=0) -> True or None: text[pos:] is the slots' forms, all of it."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject SuffixMatcherType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "translit.engine._accel.SuffixMatcher",
    .tp_basicsize = sizeof(SuffixMatcher),
    .tp_dealloc = (destructor)SuffixMatcher_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Uzbek suffixes slot by slot (suffix_matcher): match(text, pos=0).",
    .tp_methods = SuffixMatcher_methods,
};

static PyMethodDef module_methods[] = {
    {"touches_cyrillic", touches_cyrillic, METH_VARARGS,
     "touches_cyrillic(text, stand_ins) -> bool: the repairs' trigger scan."},
    {"plain_table", plain_table, METH_VARARGS,
     "plain_table(...) -> capsule: the plain words' tables (plainwords.py)."},
    {"plain_region", plain_region, METH_VARARGS,
     "plain_region(table, text, runs, kept=None) -> list: the plain tokens in Cyrillic, "
     "other runs."},
    {"suffix_matcher", suffix_matcher, METH_VARARGS,
     "suffix_matcher(slots) -> SuffixMatcher: suffix_pattern's match (wordlists.py)."},
    {"word_set", word_set, METH_VARARGS,
     "word_set(data) -> WordSet or None: the words of a word list's UTF-8 (wordlists.py)."},
    {"lexicon_keys", lexicon_keys, METH_VARARGS,
     "lexicon_keys(data) -> WordSet or None: a lexicon's keys and lines (wordlists.py)."},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef Table_methods[] = {
    {"convert", (PyCFunction)Table_convert, METH_VARARGS,
     "convert(text, surrogateescape) -> bytes: the rules and exceptions, in one pass."},
    {"decisions", (PyCFunction)Table_decisions, METH_VARARGS,
     "decisions(text, flags) -> (out_length, list): convert's decisions (reference.py)."},
    {"set_one_pass", (PyCFunction)Table_set_one_pass, METH_VARARGS,
     "set_one_pass(...): what convert_utf8 looks for, from the Python definitions."},
    {"convert_utf8", (PyCFunction)Table_convert_utf8, METH_VARARGS,
     "convert_utf8(data, start, end) -> (bytes, stop, lines): UTF-8 lines in one pass."},
    {"flags", (PyCFunction)Table_flags, METH_VARARGS,
     "flags(code) -> int: how the one pass sees a character (for the tests)."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject TableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "translit.converter.transliterator._accel.Table",
    .tp_basicsize = sizeof(Table),
    .tp_dealloc = (destructor)Table_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A rule table compiled for the accelerator (see fastpath.py).",
    .tp_methods = Table_methods,
    .tp_init = (initproc)Table_init,
    .tp_new = PyType_GenericNew,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "translit.converter.transliterator._accel",
    .m_doc = "The optional compiled accelerator of translit's fast engine.",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__accel(void)
{
    for (Py_UCS4 c = 0; c < SPAN; c++)
        word_below_span[c] = (unsigned char)is_word_char_slow(c);
    for (unsigned lead = 0; lead < 256; lead++)
        fast_way[lead] = fast_way_for(lead);
    if (PyType_Ready(&TableType) < 0 || PyType_Ready(&WordSetType) < 0
            || PyType_Ready(&SuffixMatcherType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&TableType);
    if (PyModule_AddObject(m, "Table", (PyObject *)&TableType) < 0) {
        Py_DECREF(&TableType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
