// The free-text candidate search in one native call per candidate (breachscope.detect).
//
// ``text_patterns.CombinedScanner`` finds each next candidate of an ASCII text with one re2
// DFA per part of the groups, asks an anchored ``re2.Set`` which groups match there, then
// matches the first of them with Python's ``re``: two to three calls through google-re2's
// pybind11 wrapper and one ``re`` match per candidate, each with its Python frame. This
// module does the same steps in C++ against RE2 itself (Debian's libre2-dev, linked as
// libre2.so.9) and returns ``(start, end, group name)``: for a text that is its own ASCII
// view (``fold(text) == text``), RE2 and ``re`` read the ASCII groups alike, so the match
// is the one the Python steps give (tests/test_detect_re2scan.py compares them candidate by
// candidate on the development corpora and on fuzzed texts). One difference in the steps:
// the set asked is that of the part (or parts) whose next start the candidate is, not one
// of every group; smaller sets build fewer and smaller DFA states on a first pass.
//
//   Scanner(patterns: list[bytes], parts: list[list[int]], names: list[str], max_mem: int)
//   Scanner.finder(view: bytes) -> Finder
//   Finder(pos: int) -> tuple[int, int, str] | None   # the first match at or after pos
//   Scanner.candidates(view: bytes) -> Finder   # for the ASCII view of another text:
//   Finder(pos: int) -> tuple[int, tuple[int, ...]] | None   # the next start, its groups
//
// Built by scripts/build_native.py beside the mypyc modules; without libre2-dev it is not
// built and the Python steps are used.

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace {

struct ScannerCore {
  std::vector<std::unique_ptr<re2::RE2>> parts;   // unanchored, one alternation per part
  std::vector<std::unique_ptr<re2::RE2>> groups;  // each group alone, matched anchored
  // Per part, "(?s:.)(?:group)" of each of its groups, anchored at s - 1; and the part's
  // group indices (a set's hit i is group part_groups[p][i]).
  std::vector<std::unique_ptr<re2::RE2::Set>> sets;
  std::vector<std::vector<int>> part_groups;
  std::vector<PyObject*> names;                   // group names (owned references)
};

struct ScannerObject {
  PyObject_HEAD
  ScannerCore* core;
};

struct FinderObject {
  PyObject_HEAD
  ScannerObject* scanner;  // owned reference
  PyObject* view;          // the bytes scanned (owned reference)
  const char* data;
  Py_ssize_t n;
  std::string* padded;     // "\n" + view: the set reads the character before a candidate
  std::vector<Py_ssize_t>* res;  // per part, its next start (-1: not searched yet)
  std::vector<int>* hits;
  std::vector<int>* part_hits;
  Py_ssize_t last;
  bool exact;  // (start, end, group); else (start, candidate groups) for ``re`` to decide
};

PyTypeObject ScannerType = {PyVarObject_HEAD_INIT(nullptr, 0)};
PyTypeObject FinderType = {PyVarObject_HEAD_INIT(nullptr, 0)};

re2::RE2::Options options(long long max_mem) {
  re2::RE2::Options o;
  o.set_encoding(re2::RE2::Options::EncodingLatin1);
  o.set_max_mem(max_mem);
  o.set_log_errors(false);
  return o;
}

bool bytes_of(PyObject* item, std::string* out) {
  char* buf;
  Py_ssize_t len;
  if (PyBytes_AsStringAndSize(item, &buf, &len) < 0) return false;
  out->assign(buf, static_cast<size_t>(len));
  return true;
}

void core_free(ScannerCore* core) {
  if (core == nullptr) return;
  for (PyObject* name : core->names) Py_XDECREF(name);
  delete core;
}

int scanner_init(ScannerObject* self, PyObject* args, PyObject* kwds) {
  static const char* kwlist[] = {"patterns", "parts", "names", "max_mem", nullptr};
  PyObject *patterns, *parts, *names;
  long long max_mem = 256LL << 20;
  if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O!O!|L", const_cast<char**>(kwlist),
                                   &PyList_Type, &patterns, &PyList_Type, &parts,
                                   &PyList_Type, &names, &max_mem))
    return -1;
  Py_ssize_t count = PyList_GET_SIZE(patterns);
  if (PyList_GET_SIZE(names) != count) {
    PyErr_SetString(PyExc_ValueError, "patterns and names differ in length");
    return -1;
  }
  auto core = std::make_unique<ScannerCore>();
  re2::RE2::Options opts = options(max_mem);
  std::vector<std::string> pats(static_cast<size_t>(count));
  for (Py_ssize_t i = 0; i < count; i++) {
    if (!bytes_of(PyList_GET_ITEM(patterns, i), &pats[i])) return -1;
    auto rx = std::make_unique<re2::RE2>(pats[i], opts);
    if (!rx->ok()) {
      PyErr_Format(PyExc_ValueError, "group %zd does not compile in RE2", i);
      return -1;
    }
    core->groups.push_back(std::move(rx));
    PyObject* name = PyList_GET_ITEM(names, i);
    if (!PyUnicode_Check(name)) {
      PyErr_SetString(PyExc_TypeError, "names must be str");
      return -1;
    }
    Py_INCREF(name);
    core->names.push_back(name);
  }
  for (Py_ssize_t p = 0; p < PyList_GET_SIZE(parts); p++) {
    PyObject* part = PyList_GET_ITEM(parts, p);
    if (!PyList_Check(part) || PyList_GET_SIZE(part) == 0) {
      PyErr_SetString(PyExc_TypeError, "parts must be non-empty lists of group indices");
      return -1;
    }
    std::string alt;
    auto set = std::make_unique<re2::RE2::Set>(opts, re2::RE2::ANCHOR_START);
    std::vector<int> members;
    for (Py_ssize_t j = 0; j < PyList_GET_SIZE(part); j++) {
      long gi = PyLong_AsLong(PyList_GET_ITEM(part, j));
      if (gi < 0 || gi >= count) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_IndexError, "group index out of range");
        return -1;
      }
      if (j) alt += "|";
      alt += "(?:" + pats[static_cast<size_t>(gi)] + ")";
      if (set->Add("(?s:.)(?:" + pats[static_cast<size_t>(gi)] + ")", nullptr) != j) {
        PyErr_Format(PyExc_ValueError, "group %ld does not compile in an RE2 set", gi);
        return -1;
      }
      members.push_back(static_cast<int>(gi));
    }
    if (!set->Compile()) {
      PyErr_Format(PyExc_ValueError, "the RE2 set of part %zd does not compile", p);
      return -1;
    }
    core->sets.push_back(std::move(set));
    core->part_groups.push_back(std::move(members));
    auto rx = std::make_unique<re2::RE2>(alt, opts);
    if (!rx->ok()) {
      PyErr_Format(PyExc_ValueError, "part %zd does not compile in RE2", p);
      return -1;
    }
    core->parts.push_back(std::move(rx));
  }
  core_free(self->core);
  self->core = core.release();
  return 0;
}

void scanner_dealloc(ScannerObject* self) {
  core_free(self->core);
  Py_TYPE(self)->tp_free(reinterpret_cast<PyObject*>(self));
}

PyObject* new_finder(ScannerObject* self, PyObject* view, bool exact) {
  if (self->core == nullptr) {
    PyErr_SetString(PyExc_RuntimeError, "Scanner not initialised");
    return nullptr;
  }
  if (!PyBytes_Check(view)) {
    PyErr_SetString(PyExc_TypeError, "view must be bytes");
    return nullptr;
  }
  FinderObject* f = PyObject_New(FinderObject, &FinderType);
  if (f == nullptr) return nullptr;
  Py_INCREF(self);
  Py_INCREF(view);
  f->scanner = self;
  f->view = view;
  f->data = PyBytes_AS_STRING(view);
  f->n = PyBytes_GET_SIZE(view);
  f->padded = new std::string();
  f->padded->reserve(static_cast<size_t>(f->n) + 1);
  f->padded->push_back('\n');
  f->padded->append(f->data, static_cast<size_t>(f->n));
  f->res = new std::vector<Py_ssize_t>(self->core->parts.size(), -1);
  f->hits = new std::vector<int>();
  f->part_hits = new std::vector<int>();
  f->last = 0;
  f->exact = exact;
  return reinterpret_cast<PyObject*>(f);
}

PyObject* scanner_finder(ScannerObject* self, PyObject* view) {
  return new_finder(self, view, true);
}

PyObject* scanner_candidates(ScannerObject* self, PyObject* view) {
  return new_finder(self, view, false);
}

void finder_dealloc(FinderObject* self) {
  delete self->padded;
  delete self->res;
  delete self->hits;
  delete self->part_hits;
  Py_XDECREF(self->view);
  Py_XDECREF(self->scanner);
  PyObject_Free(self);
}

// The first group (in order) of ``order`` that matches the view at ``s``: its index and end
// in ``*gi`` / ``*end``; false when none does.
bool first_group(const ScannerCore* core, const re2::StringPiece& text, Py_ssize_t s,
                 const std::vector<int>& order, int* gi, Py_ssize_t* end) {
  re2::StringPiece m;
  for (int g : order) {
    if (core->groups[static_cast<size_t>(g)]->Match(
            text, static_cast<size_t>(s), text.size(), re2::RE2::ANCHOR_START, &m, 1)) {
      *gi = g;
      *end = static_cast<Py_ssize_t>(m.data() - text.data()) + static_cast<Py_ssize_t>(m.size());
      return true;
    }
  }
  return false;
}

PyObject* finder_call(FinderObject* self, PyObject* args, PyObject* kwds) {
  Py_ssize_t pos;
  if (kwds != nullptr && PyDict_GET_SIZE(kwds) != 0) {
    PyErr_SetString(PyExc_TypeError, "Finder takes no keyword arguments");
    return nullptr;
  }
  if (!PyArg_ParseTuple(args, "n", &pos)) return nullptr;
  const ScannerCore* core = self->scanner->core;
  const Py_ssize_t n = self->n;
  const re2::StringPiece text(self->data, static_cast<size_t>(n));
  std::vector<Py_ssize_t>& res = *self->res;
  if (pos < 0) pos = 0;
  // A search from before the last one starts over (each part's next start is kept only
  // while the search moves forward).
  if (pos < self->last) std::fill(res.begin(), res.end(), -1);
  re2::StringPiece m;
  std::vector<int>& hits = *self->hits;
  while (pos < n) {
    self->last = pos;
    Py_ssize_t s = n;
    for (size_t i = 0; i < core->parts.size(); i++) {
      Py_ssize_t r = res[i];
      if (r < pos) {
        if (core->parts[i]->Match(text, static_cast<size_t>(pos), static_cast<size_t>(n),
                                  re2::RE2::UNANCHORED, &m, 1))
          r = static_cast<Py_ssize_t>(m.data() - text.data());
        else
          r = n;
        res[i] = r;
      }
      if (r < s) s = r;
    }
    if (s >= n) Py_RETURN_NONE;
    // Which groups match at ``s``: only those of the parts whose next start is ``s`` can
    // (any other part has no match starting before its own next start). Each such part's
    // set reads from the character before (a line break before the text reads as its
    // start to every group); the first of the groups, in group order, is the match, as
    // the alternation of every group gives it.
    hits.clear();
    const re2::StringPiece tail(self->padded->data() + s, static_cast<size_t>(n - s + 1));
    for (size_t i = 0; i < core->parts.size(); i++) {
      if (res[i] != s) continue;
      std::vector<int>& got = *self->part_hits;
      got.clear();
      re2::RE2::Set::ErrorInfo err{};
      const std::vector<int>& members = core->part_groups[i];
      if (!core->sets[i]->Match(tail, &got, &err) || got.empty()) {
        // No group of the part, or the set could not tell (its DFA out of memory): every
        // group of the part is tried.
        hits.insert(hits.end(), members.begin(), members.end());
      } else {
        for (int k : got) hits.push_back(members[static_cast<size_t>(k)]);
      }
    }
    std::sort(hits.begin(), hits.end());
    if (!self->exact) {
      // The ASCII view of a text that is not its own: ``re`` matches the groups on the
      // text, where letters beyond ASCII may end a match elsewhere than RE2 on the view.
      PyObject* groups = PyTuple_New(static_cast<Py_ssize_t>(hits.size()));
      if (groups == nullptr) return nullptr;
      for (size_t k = 0; k < hits.size(); k++) {
        PyObject* gi = PyLong_FromLong(hits[k]);
        if (gi == nullptr) {
          Py_DECREF(groups);
          return nullptr;
        }
        PyTuple_SET_ITEM(groups, static_cast<Py_ssize_t>(k), gi);
      }
      return Py_BuildValue("(nN)", s, groups);
    }
    int gi = -1;
    Py_ssize_t end = s;
    if (first_group(core, text, s, hits, &gi, &end) && end > s) {
      PyObject* name = core->names[static_cast<size_t>(gi)];
      return Py_BuildValue("(nnO)", s, end, name);
    }
    pos = s + 1;
  }
  Py_RETURN_NONE;
}

PyMethodDef scanner_methods[] = {
    {"finder", reinterpret_cast<PyCFunction>(scanner_finder), METH_O,
     "finder(view: bytes) -> Finder: find(pos) gives (start, end, group) or None."},
    {"candidates", reinterpret_cast<PyCFunction>(scanner_candidates), METH_O,
     "candidates(view: bytes) -> Finder: find(pos) gives (start, (group index, ...)), the\n"
     "groups that may match there in order, or None."},
    {nullptr, nullptr, 0, nullptr},
};

PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "_re2scan",
    "The free-text candidate search against RE2 in one call per candidate.", -1, nullptr,
};

}  // namespace

PyMODINIT_FUNC PyInit__re2scan(void) {
  ScannerType.tp_name = "breachscope.detect._re2scan.Scanner";
  ScannerType.tp_basicsize = sizeof(ScannerObject);
  ScannerType.tp_flags = Py_TPFLAGS_DEFAULT;
  ScannerType.tp_doc = "Scanner(patterns, parts, names, max_mem=256 MiB): the RE2 programs.";
  ScannerType.tp_new = PyType_GenericNew;
  ScannerType.tp_init = reinterpret_cast<initproc>(scanner_init);
  ScannerType.tp_dealloc = reinterpret_cast<destructor>(scanner_dealloc);
  ScannerType.tp_methods = scanner_methods;
  FinderType.tp_name = "breachscope.detect._re2scan.Finder";
  FinderType.tp_basicsize = sizeof(FinderObject);
  FinderType.tp_flags = Py_TPFLAGS_DEFAULT;
  FinderType.tp_doc = "find(pos) -> (start, end, group name) | None, over one view.";
  FinderType.tp_call = reinterpret_cast<ternaryfunc>(finder_call);
  FinderType.tp_dealloc = reinterpret_cast<destructor>(finder_dealloc);
  if (PyType_Ready(&ScannerType) < 0 || PyType_Ready(&FinderType) < 0) return nullptr;
  PyObject* mod = PyModule_Create(&module_def);
  if (mod == nullptr) return nullptr;
  Py_INCREF(&ScannerType);
  if (PyModule_AddObject(mod, "Scanner", reinterpret_cast<PyObject*>(&ScannerType)) < 0) {
    Py_DECREF(&ScannerType);
    Py_DECREF(mod);
    return nullptr;
  }
  return mod;
}
