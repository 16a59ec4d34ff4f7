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
#include <string.h>

#define SPAN 0x530 /* every letter of the table, every capital and class member is below */

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
} Row;

#define COMPLEX 0xff /* in simple_length: a letter whose rules look at its neighbours */

typedef struct {
    PyObject *cyrillic; /* str */
    PyObject *latin;    /* bytes */
    int whole_word;
    const char *utf8;   /* the UTF-8 of cyrillic (kept by the str object) */
    Py_ssize_t utf8_length;
    Py_UCS4 last;       /* its last character */
} Exception;

typedef struct {
    PyObject_HEAD
    /* What most characters become, whatever stands beside them: a letter with one rule
     * written in lower case, or any other character below SPAN (its UTF-8). */
    unsigned char simple_length[SPAN];
    char simple[SPAN][8];
    unsigned char plain_length[SPAN]; /* simple_length, but for the exceptions' first letters */
    unsigned char quiet_length[SPAN]; /* simple_length of what asks nothing of the one pass */
    int letter_of[SPAN];   /* index of the letter's rows, or -1 */
    int is_lower[SPAN];    /* the letter as the table writes it (lower case) */
    int first_row[SPAN], row_count[SPAN];
    Row *rows;
    Py_ssize_t nrows;
    unsigned char (*classes)[SPAN]; /* class n-1: membership of each code point */
    Py_ssize_t nclasses;
    unsigned char capital[SPAN];
    int upper_capitals; /* capitals="upper": a two-letter capital beside a capital is SH */
    Exception *exceptions; /* in the order they are tried */
    Py_ssize_t nexceptions;
    int first_exception[SPAN]; /* of the exceptions starting with this letter, or -1 */
    int *next_exception;       /* the next one starting with the same letter, or -1 */
    /* The one pass over UTF-8 bytes (convert_utf8), set up by set_one_pass from the
     * Python definitions: what each character below SPAN asks of the pass (ONE_* flags),
     * and what an address (kept as it is) starts with, holds and does not end with. */
    int one_pass_ready;
    unsigned char flags[SPAN];
    PyObject *address_starts; /* tuple of bytes, or NULL: addresses are not kept */
    unsigned char not_in_address[128]; /* ASCII characters an address never holds */
    Py_UCS4 *not_in_address_other;     /* ... and others, beside Unicode whitespace */
    Py_ssize_t n_not_in_address_other;
    int address_spaces;                /* whitespace (\s) ends an address */
    unsigned char address_tail[128];   /* ASCII an address does not end with (.,;:!?) */
    char *scratch; /* convert_utf8's output is made here (kept: no new pages each call) */
    Py_ssize_t scratch_size;
} Table;

#define ONE_PYTHON 1     /* the line goes to the str path (a leftover letter, a 2026 letter ...) */
#define ONE_CYRILLIC 2   /* of the Cyrillic block: beside an ASCII letter, a look-alike? */
#define ONE_ASCII 4      /* an ASCII letter (the bit beside ONE_CYRILLIC: see convert_utf8) */
#define ONE_S 8          /* s or S: followed by h, a word to respell? */
#define ONE_BRACE 16     /* {: after -, an escape -{...}- */
#define ONE_NEWLINE 32
#define ONE_CR 64        /* a line break when no LF follows */
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
static int
in_class(Table *table, int id, int present, Py_UCS4 c)
{
    if (!present)
        return 0;
    if (id == 0)
        return is_word_char(c);
    return c < SPAN && table->classes[id - 1][c];
}

static int
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

/* The Latin of letter c between its neighbours: the first rule whose context fits (the
   last rule has none: it always fits), in the case the letter and its neighbours ask for. */
static PyObject *
latin_of(Table *table, Py_UCS4 c, int has_before, Py_UCS4 before, int has_after, Py_UCS4 after)
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
        return row->lower;
    if (table->upper_capitals &&
        ((has_before && before < SPAN && table->capital[before]) ||
         (has_after && after < SPAN && table->capital[after])))
        return row->upper;
    return row->title;
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
    PyMem_Free(table->exceptions);
    PyMem_Free(table->next_exception);
    Py_XDECREF(table->address_starts);
    PyMem_Free(table->not_in_address_other);
    PyMem_Free(table->scratch);
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

/* set_one_pass(python, cyrillic, ascii_letters, sh, starts, not_in_address, spaces, tail)
 * python: code points (below SPAN) whose line the str path converts; cyrillic: (first,
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
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(python); i++) {
        Py_ssize_t code;
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
    for (int c = 0; c < SPAN; c++)
        table->quiet_length[c] = (flags[c] & (ONE_PYTHON | ONE_S | ONE_BRACE | ONE_NEWLINE |
                                              ONE_CR)) ? COMPLEX : table->simple_length[c];
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
        if (i + size > end || (span_start > i && span_start < i + size) ||
            memcmp(s + i, word, size) != 0)
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
        Py_UCS4 last = 0;
        unsigned char last_flags = 0xff; /* none yet */
        unsigned char touching = TOUCHING(before_flags);
        ENSURE(4 * (run_end - i) + 16);
        while (i + 1 < run_end) {
            unsigned char lead = s[i];
            Py_UCS4 code;
            int size_;
            if (lead < 0x80) {
                code = lead;
                size_ = 1;
            }
            else if (lead >= 0xc2 && lead < 0xd4 && (s[i + 1] & 0xc0) == 0x80) {
                code = ((Py_UCS4)(lead & 0x1f) << 6) | (s[i + 1] & 0x3f); /* below SPAN */
                size_ = 2;
            }
            else
                break;
            unsigned char flags = table->flags[code];
            unsigned char simple = table->quiet_length[code];
            if (simple == COMPLEX || (flags & touching))
                break;
            memcpy(data + used, table->simple[code], 8);
            used += simple;
            i += size_;
            last = code;
            last_flags = flags;
            touching = TOUCHING(flags);
        }
        if (last_flags != 0xff) {
            before = last;
            has_before = 1;
            before_flags = last_flags;
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
        else if (c == KEPT_MARK)
            goto to_python; /* the str path's own mark */
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

static PyMethodDef module_methods[] = {
    {"touches_cyrillic", touches_cyrillic, METH_VARARGS,
     "touches_cyrillic(text, stand_ins) -> bool: the repairs' trigger scan."},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef Table_methods[] = {
    {"convert", (PyCFunction)Table_convert, METH_VARARGS,
     "convert(text, surrogateescape) -> bytes: the rules and exceptions, in one pass."},
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
    if (PyType_Ready(&TableType) < 0)
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
