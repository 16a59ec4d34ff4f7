/* The optional compiled part of the preview (translit/preview/__init__.py): the two loops
 * that most of a large preview's time went into, in Python (issue 23).
 *
 * word_pairs: which words of a line the decision triggers point at, and where each is in
 * the converted line (word N of the input being word N of the output), as
 * Marker._word_marks finds them with _PLAIN_WORDS.split.
 *
 * side_rows: a changed line pair drawn side by side, row by row, as Preview._side draws it
 * for text of one cell per character (_NARROW): rows cut as _cuts cuts them, each side's
 * marked words painted (a prefix and a suffix, the escape codes Painter.codes gives).
 *
 * facts: which classes of characters (controls, wide characters, combining marks ...) and
 * which strings a line holds, in one pass: the many quick looks of Marker.marks and of
 * the drawing at every line, each a scan of its own in Python.
 *
 * All are held equal to the Python definitions by tests/test_preview_drawing.py, and the
 * preview falls back to those where this module was not built.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

/* A character of _PLAIN_WORDS's class [^\W\d_], as Python's re reads it in a str
 * pattern: \w is Py_UNICODE_ISALNUM or "_", \d is Py_UNICODE_ISDECIMAL. */
static int
is_plain_word_char_slow(Py_UCS4 c)
{
    if (c < 0x80)
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    return Py_UNICODE_ISALNUM(c) && !Py_UNICODE_ISDECIMAL(c);
}

/* is_plain_word_char of each character of the BMP, a bit each, made at import: asking the
 * Unicode database at every character of a line was most of word_pairs' time */
#define PLAIN_WORD_BMP 0x10000
static unsigned char plain_word_bits[PLAIN_WORD_BMP / 8];

static inline int
is_plain_word_char(Py_UCS4 c)
{
    if (c < PLAIN_WORD_BMP)
        return (plain_word_bits[c >> 3] >> (c & 7)) & 1;
    return is_plain_word_char_slow(c);
}

static inline int
is_apostrophe(Py_UCS4 c)
{
    return c == '\'' || c == 0x2018 || c == 0x2019; /* ' ‘ ’ */
}

/* Where the word that starts at `at` (a word character) ends: a run of word characters,
 * and again after an apostrophe that stands before a word character (Is'hoq). */
static Py_ssize_t
word_end(int kind, const void *data, Py_ssize_t at, Py_ssize_t length)
{
    for (;;) {
        while (at < length && is_plain_word_char(PyUnicode_READ(kind, data, at)))
            at++;
        if (at + 1 < length && is_apostrophe(PyUnicode_READ(kind, data, at))
            && is_plain_word_char(PyUnicode_READ(kind, data, at + 1)))
            at++;
        else
            return at;
    }
}

/* The next word at or after `at`: its start (or `length` when there is none). */
static Py_ssize_t
next_word(int kind, const void *data, Py_ssize_t at, Py_ssize_t length)
{
    while (at < length && !is_plain_word_char(PyUnicode_READ(kind, data, at)))
        at++;
    return at;
}

static int
same_text(PyObject *a, Py_ssize_t a_start, PyObject *b, Py_ssize_t b_start, Py_ssize_t n)
{
    int a_kind = PyUnicode_KIND(a), b_kind = PyUnicode_KIND(b);
    const void *a_data = PyUnicode_DATA(a), *b_data = PyUnicode_DATA(b);
    for (Py_ssize_t i = 0; i < n; i++)
        if (PyUnicode_READ(a_kind, a_data, a_start + i) != PyUnicode_READ(b_kind, b_data, b_start + i))
            return 0;
    return 1;
}

/* word_pairs(before, end, after, hits) -> list of (start, end, out_start, out_end) | None
 *
 * The words of before[:end] are paired with the first as many words of `after` (end -1:
 * up to the end of the word the last of `hits` falls in, as Marker._hit_words cuts the
 * line with _WORD_TAIL where no combining mark makes the two word classes differ); None when
 * the text between them (up to the last word) is not the same on both sides, or `after`
 * has fewer words. For each word that a position of `hits` (sorted) falls in or after
 * (before the next word), in order and once: where it is on each side. A position before
 * the first word or after the last one is no word's. */
static PyObject *
word_pairs(PyObject *module, PyObject *args)
{
    PyObject *before, *after, *hits;
    Py_ssize_t end;
    if (!PyArg_ParseTuple(args, "UnUO!", &before, &end, &after, &PyList_Type, &hits))
        return NULL;
    int kind = PyUnicode_KIND(before), out_kind = PyUnicode_KIND(after);
    const void *data = PyUnicode_DATA(before), *out_data = PyUnicode_DATA(after);
    Py_ssize_t out_length = PyUnicode_GET_LENGTH(after);
    Py_ssize_t count = PyList_GET_SIZE(hits), next_hit = 0;
    if (end < 0 && count > 0) { /* the end of the word the last hit is in (_WORD_TAIL) */
        end = PyLong_AsSsize_t(PyList_GET_ITEM(hits, count - 1));
        if (end < 0) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "word_pairs: a hit before the line");
            return NULL;
        }
        if (end < PyUnicode_GET_LENGTH(before))
            end = word_end(kind, data, end, PyUnicode_GET_LENGTH(before));
    }
    if (end > PyUnicode_GET_LENGTH(before) || end < 0)
        end = PyUnicode_GET_LENGTH(before);
    PyObject *found = PyList_New(0);
    if (found == NULL)
        return NULL;
    Py_ssize_t done = 0, out_done = 0;
    for (;;) {
        Py_ssize_t start = next_word(kind, data, done, end);
        if (start >= end)
            break; /* no more words: the rest of before[:end] is no word's */
        Py_ssize_t out_start = next_word(out_kind, out_data, out_done, out_length);
        if (out_start >= out_length || start - done != out_start - out_done
            || !same_text(before, done, after, out_done, start - done))
            goto unpaired;
        Py_ssize_t stop = word_end(kind, data, start, end);
        Py_ssize_t out_stop = word_end(out_kind, out_data, out_start, out_length);
        /* the positions up to the next word's start fall in this word (or after it) */
        Py_ssize_t following = next_word(kind, data, stop, end);
        int pointed = 0;
        while (next_hit < count) {
            Py_ssize_t at = PyLong_AsSsize_t(PyList_GET_ITEM(hits, next_hit));
            if (at == -1 && PyErr_Occurred())
                goto fail;
            if (at < start) { /* before the first word */
                next_hit++;
                continue;
            }
            if (at >= following && following < end)
                break;
            if (at >= following) /* after the last word's end: no word's */
                break;
            pointed = 1;
            next_hit++;
        }
        if (pointed) {
            PyObject *item = Py_BuildValue("(nnnn)", start, stop, out_start, out_stop);
            if (item == NULL || PyList_Append(found, item) < 0) {
                Py_XDECREF(item);
                goto fail;
            }
            Py_DECREF(item);
        }
        done = stop;
        out_done = out_stop;
    }
    return found;
unpaired:
    Py_DECREF(found);
    Py_RETURN_NONE;
fail:
    Py_DECREF(found);
    return NULL;
}

/* ---- side_rows ---- */

typedef struct {
    PyObject *text; /* borrowed */
    Py_ssize_t start, length;
} Segment;

typedef struct {
    Segment *items;
    Py_ssize_t used, size;
} Segments;

static int
add(Segments *segments, PyObject *text, Py_ssize_t start, Py_ssize_t length)
{
    if (length <= 0)
        return 0;
    if (segments->used == segments->size) {
        Py_ssize_t size = segments->size ? 2 * segments->size : 32;
        Segment *items = PyMem_Realloc(segments->items, size * sizeof(Segment));
        if (items == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        segments->items = items;
        segments->size = size;
    }
    segments->items[segments->used++] = (Segment){text, start, length};
    return 0;
}

static int
add_all(Segments *segments, PyObject *text)
{
    return add(segments, text, 0, PyUnicode_GET_LENGTH(text));
}

/* The widest character of each kind of str: what PyUnicode_New needs to know of the
 * characters it is to hold (it picks the kind from it). */
static inline Py_UCS4
kind_ceiling(Py_UCS4 c)
{
    return c < 0x80 ? 0x7f : c < 0x100 ? 0xff : c < 0x10000 ? 0xffff : 0x10ffff;
}

/* The segments as one str, of the narrowest kind that holds them (as every str must be).
 * Copied here, not by PyUnicode_CopyCharacters, which checks a copy of Latin-1 characters
 * into an ASCII str from the start of the source, not from where the copy starts (CPython
 * 3.11), and so refused "«a»"[1:2]. A segment's characters are looked at only until one
 * is as wide as its source's kind allows (a row of Cyrillic: its first letter), and not at
 * all once the row needs that kind anyway. */
static PyObject *
joined(const Segments *segments)
{
    Py_ssize_t length = 0;
    Py_UCS4 widest = 0; /* (a kind's ceiling) */
    for (Py_ssize_t i = 0; i < segments->used; i++) {
        const Segment *s = &segments->items[i];
        length += s->length;
        Py_UCS4 ceiling = PyUnicode_MAX_CHAR_VALUE(s->text);
        if (widest >= ceiling || s->length == 0)
            continue;
        if (PyUnicode_IS_ASCII(s->text)) {
            widest = 0x7f;
            continue;
        }
        int kind = PyUnicode_KIND(s->text);
        const void *data = PyUnicode_DATA(s->text);
        for (Py_ssize_t j = s->start; j < s->start + s->length && widest < ceiling; j++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, j);
            if (c > widest)
                widest = kind_ceiling(c);
        }
    }
    PyObject *result = PyUnicode_New(length, widest);
    if (result == NULL)
        return NULL;
    int result_kind = PyUnicode_KIND(result);
    void *result_data = PyUnicode_DATA(result);
    Py_ssize_t at = 0;
    for (Py_ssize_t i = 0; i < segments->used; i++) {
        const Segment *s = &segments->items[i];
        int kind = PyUnicode_KIND(s->text);
        const void *data = PyUnicode_DATA(s->text);
        if (kind == result_kind)
            memcpy((char *)result_data + at * kind, (const char *)data + s->start * kind,
                   s->length * kind);
        else if (kind == PyUnicode_1BYTE_KIND && result_kind == PyUnicode_2BYTE_KIND) {
            /* (the Latin side of a row of Cyrillic, mostly: widened in one plain loop) */
            const Py_UCS1 *from = (const Py_UCS1 *)data + s->start;
            Py_UCS2 *to = (Py_UCS2 *)result_data + at;
            for (Py_ssize_t j = 0; j < s->length; j++)
                to[j] = from[j];
        }
        else
            for (Py_ssize_t j = 0; j < s->length; j++)
                PyUnicode_WRITE(result_kind, result_data, at + j,
                                PyUnicode_READ(kind, data, s->start + j));
        at += s->length;
    }
    return result;
}

typedef struct {
    Py_ssize_t *items; /* start, end, start, end ... */
    Py_ssize_t count;
} Rows;

/* The rows of `text`, as _row_ends gives them for text of one cell per character. */
static int
row_ends(PyObject *text, Py_ssize_t width, Rows *rows)
{
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    /* A row as wide as the text holds it all, as a wider one does: so no sum below can
     * overflow (width * 2 did for a width near PY_SSIZE_T_MAX / 2). */
    if (width > length)
        width = length > 0 ? length : 1;
    Py_ssize_t most = (width > 0 ? length / (width * 2 / 3 > 0 ? width * 2 / 3 : 1) : length) + 2;
    rows->items = PyMem_Malloc(2 * most * sizeof(Py_ssize_t));
    if (rows->items == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    rows->count = 0;
    Py_ssize_t start = 0;
    /* _cuts: after the last space in the last third of a full row, else where it is full */
    while (length - start > width) {
        Py_ssize_t low = start + width * 2 / 3, high = start + width + 1, space = -1;
        if (high > length)
            high = length;
        for (Py_ssize_t i = high - 1; i >= low; i--)
            if (PyUnicode_READ(kind, data, i) == ' ') {
                space = i;
                break;
            }
        Py_ssize_t cut = space >= 0 ? space + 1 : start + width;
        if (rows->count + 1 >= most) { /* (cannot happen: each row takes 2/3 of a width) */
            PyErr_SetString(PyExc_RuntimeError, "side_rows: too many rows");
            return -1;
        }
        /* a row cut at a space ends before it */
        rows->items[2 * rows->count] = start;
        rows->items[2 * rows->count + 1] = PyUnicode_READ(kind, data, cut - 1) == ' ' ? cut - 1 : cut;
        rows->count++;
        start = cut;
    }
    if (start < length || rows->count == 0) {
        rows->items[2 * rows->count] = start;
        rows->items[2 * rows->count + 1] = length;
        rows->count++;
    }
    return 0;
}

typedef struct {
    Py_ssize_t start, end;
    PyObject *prefix, *suffix; /* borrowed */
} Span;

static int
read_spans(PyObject *list, Span **spans, Py_ssize_t *count)
{
    *count = PyList_GET_SIZE(list);
    *spans = PyMem_Malloc((*count ? *count : 1) * sizeof(Span));
    if (*spans == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < *count; i++) {
        Span *span = &(*spans)[i];
        if (!PyArg_ParseTuple(PyList_GET_ITEM(list, i), "nnUU;a span is (start, end, prefix, suffix)",
                              &span->start, &span->end, &span->prefix, &span->suffix))
            return -1;
    }
    return 0;
}

/* text[start:end] with the spans painted over it, as Preview._styled with no base style. */
static int
styled(Segments *out, PyObject *text, Py_ssize_t start, Py_ssize_t end, const Span *spans,
       Py_ssize_t count)
{
    Py_ssize_t done = start;
    for (Py_ssize_t i = 0; i < count; i++) {
        const Span *span = &spans[i];
        if (span->end <= start || span->start >= end)
            continue;
        Py_ssize_t from = span->start > start ? span->start : start;
        Py_ssize_t to = span->end < end ? span->end : end;
        if (add(out, text, done, from - done) < 0)
            return -1;
        if (to > from && (add_all(out, span->prefix) < 0 || add(out, text, from, to - from) < 0
                          || add_all(out, span->suffix) < 0))
            return -1;
        done = to;
    }
    return add(out, text, done, end - done);
}

/* A column of rows: a text cut into rows of one width, and its spans painted over it. */
typedef struct {
    PyObject *text; /* borrowed */
    Rows rows;
    Span *spans;
    Py_ssize_t count;
} Column;

static int
column_read(Column *column, PyObject *text, Py_ssize_t width, PyObject *span_list)
{
    column->text = text;
    return row_ends(text, width, &column->rows) < 0
        || read_spans(span_list, &column->spans, &column->count) < 0 ? -1 : 0;
}

static void
column_free(Column *column)
{
    PyMem_Free(column->rows.items);
    PyMem_Free(column->spans);
}

/* Row `row` of the column, painted (empty below its last row); `used` gets its cells. */
static int
column_row(Segments *out, const Column *column, Py_ssize_t row, Py_ssize_t *used)
{
    Py_ssize_t end = PyUnicode_GET_LENGTH(column->text), start = end;
    if (row < column->rows.count) {
        start = column->rows.items[2 * row];
        end = column->rows.items[2 * row + 1];
    }
    *used = end - start;
    return styled(out, column->text, start, end, column->spans, column->count);
}

/* The rows of one column, or of two side by side: each after `first` (the first row) or
 * `rest`; with a second column, the first padded with `spaces` to `width`, then `middle`. */
static PyObject *
drawn_rows(const Column *columns, int two, Py_ssize_t width, PyObject *first, PyObject *rest,
           PyObject *middle, PyObject *spaces)
{
    Py_ssize_t count = columns[0].rows.count;
    if (two && columns[1].rows.count > count)
        count = columns[1].rows.count;
    PyObject *rows = PyList_New(count);
    if (rows == NULL)
        return NULL;
    Segments segments = {NULL, 0, 0};
    for (Py_ssize_t row = 0; row < count; row++) {
        Py_ssize_t used;
        PyObject *line = NULL;
        segments.used = 0;
        if (add_all(&segments, row == 0 ? first : rest) < 0
            || column_row(&segments, &columns[0], row, &used) < 0
            || (two && (add(&segments, spaces, 0, width - used) < 0
                        || add_all(&segments, middle) < 0
                        || column_row(&segments, &columns[1], row, &used) < 0))
            || (line = joined(&segments)) == NULL) {
            Py_DECREF(rows);
            rows = NULL;
            break;
        }
        PyList_SET_ITEM(rows, row, line);
    }
    PyMem_Free(segments.items);
    return rows;
}

/* side_rows(before, after, width, left, right, first, rest, middle, spaces) -> list of str
 *
 * Each row: `first` (the first row) or `rest`, the row of `before` painted with the spans
 * `left` ((start, end, prefix, suffix), in order), spaces up to `width`, `middle`, the row
 * of `after` painted with `right`, as Preview._side draws it. For text of one cell per
 * character only. `spaces` is a str of at least `width` spaces, sliced for the padding. */
static PyObject *
side_rows(PyObject *module, PyObject *args)
{
    PyObject *before, *after, *left, *right, *first, *rest, *middle, *spaces;
    Py_ssize_t width;
    if (!PyArg_ParseTuple(args, "UUnO!O!UUUU", &before, &after, &width, &PyList_Type, &left,
                          &PyList_Type, &right, &first, &rest, &middle, &spaces))
        return NULL;
    if (width < 1 || PyUnicode_GET_LENGTH(spaces) < width) {
        PyErr_SetString(PyExc_ValueError, "side_rows: width below 1 or spaces too short");
        return NULL;
    }
    Column columns[2] = {{0}};
    PyObject *rows = NULL;
    if (column_read(&columns[0], before, width, left) == 0
        && column_read(&columns[1], after, width, right) == 0)
        rows = drawn_rows(columns, 1, width, first, rest, middle, spaces);
    column_free(&columns[0]);
    column_free(&columns[1]);
    return rows;
}

/* wrapped_rows(text, width, spans, first, rest) -> list of str
 *
 * `text` in rows of at most `width` cells, each painted with the spans `spans` ((start,
 * end, prefix, suffix), in order) after `first` (the first row) or `rest`, as
 * Preview._wrapped draws it with no base style. For text of one cell per character only. */
static PyObject *
wrapped_rows(PyObject *module, PyObject *args)
{
    PyObject *text, *spans, *first, *rest;
    Py_ssize_t width;
    if (!PyArg_ParseTuple(args, "UnO!UU", &text, &width, &PyList_Type, &spans, &first, &rest))
        return NULL;
    if (width < 1) {
        PyErr_SetString(PyExc_ValueError, "wrapped_rows: width below 1");
        return NULL;
    }
    Column column = {0};
    PyObject *rows = NULL;
    if (column_read(&column, text, width, spans) == 0)
        rows = drawn_rows(&column, 0, width, first, rest, NULL, NULL);
    column_free(&column);
    return rows;
}

/* ---- the rule table's decision triggers (fastpath.LocalTriggers) ---- */

#define BMP 0x10000

/* LOOP(TYPE), a loop over a str's characters read as TYPE, for the width of `kind` (a loop
 * that asks the width at each read, as PyUnicode_READ does, cost facts and trigger_hits a
 * sixteenth of a large preview's time; issue 23) */
#define FOR_KIND(kind, LOOP)                                                               \
    do {                                                                                   \
        if ((kind) == PyUnicode_1BYTE_KIND)                                                \
            LOOP(Py_UCS1)                                                                  \
        else if ((kind) == PyUnicode_2BYTE_KIND)                                           \
            LOOP(Py_UCS2)                                                                  \
        else                                                                               \
            LOOP(Py_UCS4)                                                                  \
    } while (0)

typedef struct {
    unsigned char bits[BMP / 8];
} CharSet;

static inline int
in_set(const CharSet *set, Py_UCS4 c)
{
    return c < BMP && (set->bits[c >> 3] >> (c & 7)) & 1;
}

typedef struct {
    int present, negated;
    CharSet *chars; /* NULL: the word class */
} Side;

typedef struct {
    Py_UCS4 letter;
    Side before, after;
} Context;

typedef struct {
    CharSet anywhere, capitals, small, context_letters;
    CharSet candidates; /* of the three above: most characters are none (one look) */
    Context *contexts;
    Py_ssize_t count;
    Py_UCS4 (*word_ranges)[2]; /* beside [^\W\d_]: combining marks, stand-ins */
    Py_ssize_t word_range_count;
} Triggers;

static void
triggers_free(PyObject *capsule)
{
    Triggers *t = PyCapsule_GetPointer(capsule, "translit.preview._drawing.Triggers");
    if (t == NULL)
        return;
    for (Py_ssize_t i = 0; i < t->count; i++) {
        PyMem_Free(t->contexts[i].before.chars);
        PyMem_Free(t->contexts[i].after.chars);
    }
    PyMem_Free(t->contexts);
    PyMem_Free(t->word_ranges);
    PyMem_Free(t);
}

/* The characters of `text` (a str) into `set`; -1 (ValueError) for one beyond the BMP. */
static int
fill(CharSet *set, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "trigger_table: a set of characters is a str");
        return -1;
    }
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(text); i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        if (c >= BMP) {
            PyErr_SetString(PyExc_ValueError, "trigger_table: a character beyond the BMP");
            return -1;
        }
        set->bits[c >> 3] |= (unsigned char)(1 << (c & 7));
    }
    return 0;
}

/* A side of a context: None, or (characters or None for the word class, negated). */
static int
read_side(PyObject *item, Side *side)
{
    if (item == Py_None)
        return 0;
    PyObject *chars;
    int negated;
    if (!PyArg_ParseTuple(item, "Op;a context is (characters, negated)", &chars, &negated))
        return -1;
    side->present = 1;
    side->negated = negated;
    if (chars == Py_None)
        return 0;
    side->chars = PyMem_Calloc(1, sizeof(CharSet));
    if (side->chars == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    return fill(side->chars, chars);
}

/* trigger_table(contexts, anywhere, capitals, small, word_ranges) -> capsule
 *
 * `contexts`: a list of (letter, before, after), each side None or (characters as a str,
 * or None for the word class; negated); the others str of characters, and a list of
 * (first, last) code points that are word characters beside [^\W\d_]. */
static PyObject *
trigger_table(PyObject *module, PyObject *args)
{
    PyObject *contexts, *anywhere, *capitals, *small, *ranges;
    if (!PyArg_ParseTuple(args, "O!UUUO!", &PyList_Type, &contexts, &anywhere, &capitals, &small,
                          &PyList_Type, &ranges))
        return NULL;
    Triggers *t = PyMem_Calloc(1, sizeof(Triggers));
    if (t == NULL)
        return PyErr_NoMemory();
    PyObject *capsule = PyCapsule_New(t, "translit.preview._drawing.Triggers", triggers_free);
    if (capsule == NULL) {
        PyMem_Free(t);
        return NULL;
    }
    t->contexts = PyMem_Calloc(PyList_GET_SIZE(contexts) + 1, sizeof(Context));
    t->word_ranges = PyMem_Calloc(PyList_GET_SIZE(ranges) + 1, sizeof(Py_UCS4[2]));
    if (t->contexts == NULL || t->word_ranges == NULL) {
        Py_DECREF(capsule);
        return PyErr_NoMemory();
    }
    if (fill(&t->anywhere, anywhere) < 0 || fill(&t->capitals, capitals) < 0
        || fill(&t->small, small) < 0)
        goto fail;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(contexts); i++) {
        Context *context = &t->contexts[i];
        PyObject *letter, *before, *after;
        t->count = i + 1;  /* (freed with the table from here on) */
        if (!PyArg_ParseTuple(PyList_GET_ITEM(contexts, i), "UOO;a context rule is (letter, before, after)",
                              &letter, &before, &after))
            goto fail;
        if (PyUnicode_GET_LENGTH(letter) != 1) {
            PyErr_SetString(PyExc_ValueError, "trigger_table: a letter is one character");
            goto fail;
        }
        if (fill(&t->context_letters, letter) < 0 || read_side(before, &context->before) < 0
            || read_side(after, &context->after) < 0)
            goto fail;
        context->letter = PyUnicode_READ_CHAR(letter, 0);
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(ranges); i++) {
        unsigned int first, last;
        if (!PyArg_ParseTuple(PyList_GET_ITEM(ranges, i), "II;a range is (first, last)", &first, &last))
            goto fail;
        t->word_ranges[i][0] = first;
        t->word_ranges[i][1] = last;
        t->word_range_count = i + 1;
    }
    for (size_t k = 0; k < sizeof t->candidates.bits; k++)
        t->candidates.bits[k] = t->anywhere.bits[k] | t->capitals.bits[k] |
                                t->context_letters.bits[k];
    return capsule;
fail:
    Py_DECREF(capsule);
    return NULL;
}

static inline int
is_word(const Triggers *t, Py_UCS4 c)
{
    if (is_plain_word_char(c))
        return 1;
    for (Py_ssize_t i = 0; i < t->word_range_count; i++)
        if (c >= t->word_ranges[i][0] && c <= t->word_ranges[i][1])
            return 1;
    return 0;
}

/* A context's side fits `c` (-1: there is no character there, at an end of the text). */
static inline int
side_fits(const Triggers *t, const Side *side, long c)
{
    if (!side->present)
        return 1;
    int member = c >= 0 && (side->chars == NULL ? is_word(t, (Py_UCS4)c)
                                                 : in_set(side->chars, (Py_UCS4)c));
    return member != side->negated;
}

/* Append position `i` to `hits`; on failure, release `hits` (-1). */
static int
add_hit(PyObject *hits, Py_ssize_t i)
{
    PyObject *at = PyLong_FromSsize_t(i);
    if (at == NULL || PyList_Append(hits, at) < 0) {
        Py_XDECREF(at);
        Py_DECREF(hits);
        return -1;
    }
    Py_DECREF(at);
    return 0;
}

/* trigger_hits(table, text) -> list of int: where in `text` a trigger of the table
 * matches, in order (each a character and its neighbours: the regular expressions of
 * LocalTriggers.patterns, whose matches are one character each). */
static PyObject *
trigger_hits(PyObject *module, PyObject *args)
{
    PyObject *capsule, *text;
    if (!PyArg_ParseTuple(args, "OU", &capsule, &text))
        return NULL;
    const Triggers *t = PyCapsule_GetPointer(capsule, "translit.preview._drawing.Triggers");
    if (t == NULL)
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    PyObject *hits = PyList_New(0);
    if (hits == NULL)
        return NULL;
    /* (FOR_KIND; a character's neighbours are read only where it may be a trigger) */
#define HITS_LOOP(TYPE)                                                                    \
    for (Py_ssize_t i = 0; i < length; i++) {                                              \
        Py_UCS4 c = ((const TYPE *)data)[i];                                               \
        if (!in_set(&t->candidates, c))                                                    \
            continue;                                                                      \
        int hit = in_set(&t->anywhere, c);                                                 \
        if (!hit && in_set(&t->capitals, c))                                               \
            hit = !(i + 1 < length && in_set(&t->small, ((const TYPE *)data)[i + 1]));     \
        if (!hit && in_set(&t->context_letters, c)) {                                      \
            long before = i > 0 ? (long)((const TYPE *)data)[i - 1] : -1;                  \
            long after = i + 1 < length ? (long)((const TYPE *)data)[i + 1] : -1;          \
            for (Py_ssize_t j = 0; j < t->count && !hit; j++) {                            \
                const Context *context = &t->contexts[j];                                  \
                hit = context->letter == c && side_fits(t, &context->before, before)       \
                      && side_fits(t, &context->after, after);                             \
            }                                                                              \
        }                                                                                  \
        if (hit && add_hit(hits, i) < 0)                                                   \
            return NULL;                                                                   \
    }
    FOR_KIND(kind, HITS_LOOP);
#undef HITS_LOOP
    return hits;
}

/* ---- what a line holds, in one pass (Marker.facts) ---- */

/* Each class of characters is a bit; a character of the BMP finds its classes' bits at
 * once in `bmp`, one beyond it looks through the ranges. STRING_START marks a character
 * that some string of the table starts with, STRING_WHOLE one that is a string alone; a
 * string of more starts where its first two characters are, which `bigrams` (a bit for
 * each pair's hash) rules out at most places where the first one is (the first letters of
 * word exceptions are common letters: looking at every string after each was most of the
 * pass). */
#define FACT_CLASSES 13
#define STRING_START 0x8000u
#define STRING_WHOLE 0x4000u
#define BIGRAM_BITS 16
#define MAX_FACT_STRINGS 64 /* beyond this many, one scan for each is no quick look */

typedef struct {
    Py_UCS4 first, last;
    unsigned short bit;
} FactRange;

typedef struct {
    unsigned short bmp[BMP];
    unsigned char bigrams[(1 << BIGRAM_BITS) / 8];
    FactRange *astral;
    Py_ssize_t astral_count;
    PyObject *strings; /* a tuple of str, each at least one character (or NULL) */
    unsigned short string_bit, all_bits;
} Facts;

static void
facts_free(PyObject *capsule)
{
    Facts *f = PyCapsule_GetPointer(capsule, "translit.preview._drawing.Facts");
    if (f == NULL)
        return;
    Py_XDECREF(f->strings);
    PyMem_Free(f->astral);
    PyMem_Free(f);
}

static inline unsigned int
bigram(Py_UCS4 first, Py_UCS4 second)
{
    return ((first << 7) ^ second) & ((1u << BIGRAM_BITS) - 1);
}

/* fact_table(classes, strings) -> capsule
 *
 * `classes`: a list (at most 13) of lists of (first, last) code points, class K being bit
 * 1 << K of `facts`; `strings`: a list of str (at most 64, none empty), which together are
 * the next bit. */
static PyObject *
fact_table(PyObject *module, PyObject *args)
{
    PyObject *classes, *strings;
    if (!PyArg_ParseTuple(args, "O!O!", &PyList_Type, &classes, &PyList_Type, &strings))
        return NULL;
    Py_ssize_t count = PyList_GET_SIZE(classes);
    if (count >= FACT_CLASSES || PyList_GET_SIZE(strings) > MAX_FACT_STRINGS) {
        PyErr_SetString(PyExc_ValueError, "fact_table: too many classes or strings");
        return NULL;
    }
    Facts *f = PyMem_Calloc(1, sizeof(Facts));
    if (f == NULL)
        return PyErr_NoMemory();
    PyObject *capsule = PyCapsule_New(f, "translit.preview._drawing.Facts", facts_free);
    if (capsule == NULL) {
        PyMem_Free(f);
        return NULL;
    }
    f->string_bit = (unsigned short)(1u << count);
    f->all_bits = (unsigned short)((1u << (count + 1)) - 1);
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *ranges = PyList_GET_ITEM(classes, k);
        if (!PyList_Check(ranges)) {
            PyErr_SetString(PyExc_TypeError, "fact_table: a class is a list of ranges");
            goto fail;
        }
        unsigned short bit = (unsigned short)(1u << k);
        for (Py_ssize_t i = 0; i < PyList_GET_SIZE(ranges); i++) {
            unsigned int first, last;
            if (!PyArg_ParseTuple(PyList_GET_ITEM(ranges, i), "II;a range is (first, last)",
                                  &first, &last))
                goto fail;
            if (last > 0x10FFFF || first > last) {
                PyErr_SetString(PyExc_ValueError, "fact_table: a range of no code points");
                goto fail;
            }
            for (Py_UCS4 c = first; c <= last && c < BMP; c++)
                f->bmp[c] |= bit;
            if (last >= BMP) {
                FactRange *astral = PyMem_Realloc(f->astral, (f->astral_count + 1) * sizeof(FactRange));
                if (astral == NULL) {
                    PyErr_NoMemory();
                    goto fail;
                }
                f->astral = astral;
                f->astral[f->astral_count++] = (FactRange){first < BMP ? BMP : first, last, bit};
            }
        }
    }
    f->strings = PyList_AsTuple(strings);
    if (f->strings == NULL)
        goto fail;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(f->strings); i++) {
        PyObject *string = PyTuple_GET_ITEM(f->strings, i);
        if (!PyUnicode_Check(string) || PyUnicode_GET_LENGTH(string) == 0) {
            PyErr_SetString(PyExc_ValueError, "fact_table: a string is a str of one character or more");
            goto fail;
        }
        Py_UCS4 c = PyUnicode_READ_CHAR(string, 0);
        if (c >= BMP) {
            PyErr_SetString(PyExc_ValueError, "fact_table: a string starts beyond the BMP");
            goto fail;
        }
        if (PyUnicode_GET_LENGTH(string) == 1)
            f->bmp[c] |= STRING_WHOLE;
        else {
            unsigned int h = bigram(c, PyUnicode_READ_CHAR(string, 1));
            f->bigrams[h >> 3] |= (unsigned char)(1u << (h & 7));
            f->bmp[c] |= STRING_START;
        }
    }
    return capsule;
fail:
    Py_DECREF(capsule);
    return NULL;
}

/* Whether one of the table's strings starts at `at` of `text`. */
static int
string_at(const Facts *f, int kind, const void *data, Py_ssize_t length, Py_ssize_t at)
{
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(f->strings); i++) {
        PyObject *string = PyTuple_GET_ITEM(f->strings, i);
        Py_ssize_t n = PyUnicode_GET_LENGTH(string);
        if (n > length - at)
            continue;
        int s_kind = PyUnicode_KIND(string);
        const void *s_data = PyUnicode_DATA(string);
        Py_ssize_t j = 0;
        while (j < n && PyUnicode_READ(s_kind, s_data, j) == PyUnicode_READ(kind, data, at + j))
            j++;
        if (j == n)
            return 1;
    }
    return 0;
}

/* facts(table, text) -> int: the bits of the classes that have a character in `text`, and
 * the strings' bit if one of them is in it. */
static PyObject *
facts(PyObject *module, PyObject *args)
{
    PyObject *capsule, *text;
    if (!PyArg_ParseTuple(args, "OU", &capsule, &text))
        return NULL;
    const Facts *f = PyCapsule_GetPointer(capsule, "translit.preview._drawing.Facts");
    if (f == NULL)
        return NULL;
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    unsigned int found = 0;
    /* (FOR_KIND) */
#define FACTS_LOOP(TYPE)                                                                   \
    for (Py_ssize_t i = 0; i < length && found != f->all_bits; i++) {                      \
        Py_UCS4 c = ((const TYPE *)data)[i];                                               \
        if (c < BMP) {                                                                     \
            unsigned int bits = f->bmp[c];                                                 \
            found |= bits & ~(STRING_START | STRING_WHOLE);                                \
            if (bits & STRING_WHOLE)                                                       \
                found |= f->string_bit;                                                    \
            else if ((bits & STRING_START) && !(found & f->string_bit) && i + 1 < length) {\
                unsigned int h = bigram(c, ((const TYPE *)data)[i + 1]);                   \
                if ((f->bigrams[h >> 3] >> (h & 7)) & 1 &&                                 \
                    string_at(f, kind, data, length, i))                                   \
                    found |= f->string_bit;                                                \
            }                                                                              \
        }                                                                                  \
        else                                                                               \
            for (Py_ssize_t r = 0; r < f->astral_count; r++)                               \
                if (c >= f->astral[r].first && c <= f->astral[r].last)                     \
                    found |= f->astral[r].bit;                                             \
    }
    FOR_KIND(kind, FACTS_LOOP);
#undef FACTS_LOOP
    return PyLong_FromUnsignedLong(found);
}

static PyMethodDef module_methods[] = {
    {"wrapped_rows", wrapped_rows, METH_VARARGS,
     "wrapped_rows(text, width, spans, first, rest) -> list: a text in rows that fit."},
    {"trigger_table", trigger_table, METH_VARARGS,
     "trigger_table(contexts, anywhere, capitals, small, word_ranges) -> capsule: the rule "
     "table's decision triggers."},
    {"trigger_hits", trigger_hits, METH_VARARGS,
     "trigger_hits(table, text) -> list: where the triggers match, in order."},
    {"word_pairs", word_pairs, METH_VARARGS,
     "word_pairs(before, end, after, hits) -> list | None: the words the hits point at, "
     "on both sides."},
    {"fact_table", fact_table, METH_VARARGS,
     "fact_table(classes, strings) -> capsule: classes of characters and strings to look for."},
    {"facts", facts, METH_VARARGS,
     "facts(table, text) -> int: the bits of the classes and strings that `text` holds."},
    {"side_rows", side_rows, METH_VARARGS,
     "side_rows(before, after, width, left, right, first, rest, middle, spaces) -> list: a "
     "line pair side by side."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "translit.preview._drawing",
    .m_doc = "The optional compiled part of translit's preview.",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__drawing(void)
{
    for (Py_UCS4 c = 0; c < PLAIN_WORD_BMP; c++)
        if (is_plain_word_char_slow(c))
            plain_word_bits[c >> 3] |= (unsigned char)(1u << (c & 7));
    PyObject *m = PyModule_Create(&module);
    /* (the preview reads the strings' limit from here: one definition of it) */
    if (m != NULL && PyModule_AddIntConstant(m, "MAX_FACT_STRINGS", MAX_FACT_STRINGS) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
