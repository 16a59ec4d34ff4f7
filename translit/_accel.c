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
} Exception;

typedef struct {
    PyObject_HEAD
    /* What most characters become, whatever stands beside them: a letter with one rule
     * written in lower case, or any other character below SPAN (its UTF-8). */
    unsigned char simple_length[SPAN];
    char simple[SPAN][8];
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
} Table;

static int
is_word_char(Py_UCS4 c)
{
    if ((c >= 0x300 && c <= 0x36f) || (c >= 0x483 && c <= 0x489) ||
        (c >= 0x1ab0 && c <= 0x1aff) || (c >= 0x1dc0 && c <= 0x1dff) ||
        (c >= 0x20d0 && c <= 0x20ff) || (c >= 0xfe20 && c <= 0xfe2f))
        return 1;
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c) && c != '_';
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
        Row *rows = &table->rows[table->first_row[c]];
        int count = table->row_count[c];
        Row *row = &rows[count - 1]; /* the last rule has no context: it always fits */
        for (int r = 0; r < count - 1; r++) {
            if (fits(table, &rows[r], has_before, before, has_after, after)) {
                row = &rows[r];
                break;
            }
        }
        PyObject *latin;
        if (table->is_lower[c])
            latin = row->lower;
        else if (table->upper_capitals &&
                 ((has_before && before < SPAN && table->capital[before]) ||
                  (has_after && after < SPAN && table->capital[after])))
            latin = row->upper;
        else
            latin = row->title;
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
 * character of the Cyrillic block (maybe a look-alike to repair), or, with `stand_ins`, the
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
        if (stand_ins && c >= 0xd800 && c <= 0xd8ff)
            Py_RETURN_TRUE;
        if (c < 0x80 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) {
            if (i > 0) {
                Py_UCS4 before = PyUnicode_READ(kind, data, i - 1);
                if (before >= 0x400 && before <= 0x4ff)
                    Py_RETURN_TRUE;
            }
            if (i + 1 < length) {
                Py_UCS4 after = PyUnicode_READ(kind, data, i + 1);
                if (after >= 0x400 && after <= 0x4ff)
                    Py_RETURN_TRUE;
            }
        }
    }
    Py_RETURN_FALSE;
}

static PyMethodDef module_methods[] = {
    {"touches_cyrillic", touches_cyrillic, METH_VARARGS,
     "touches_cyrillic(text, stand_ins) -> bool: the repairs' trigger scan."},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef Table_methods[] = {
    {"convert", (PyCFunction)Table_convert, METH_VARARGS,
     "convert(text, surrogateescape) -> bytes: the rules and exceptions, in one pass."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject TableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "translit._accel.Table",
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
    .m_name = "translit._accel",
    .m_doc = "The optional compiled accelerator of translit's fast engine.",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__accel(void)
{
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
