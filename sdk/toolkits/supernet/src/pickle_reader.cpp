// The pickle virtual machine, limited to the binary opcodes of protocols 2
// to 5 (pickletools' names). torch.save writes protocol 2; the newer
// opcodes cost a few lines and cover files written with pickle_protocol=4/5.
#include "pickle_reader.hpp"

#include <cstring>
#include <sstream>
#include <unordered_map>

namespace nasctl::supernet::detail {

namespace {

using Kind = PickleValue::Kind;

PickleRef make(Kind kind) {
  auto value = std::make_shared<PickleValue>();
  value->kind = kind;
  return value;
}

PickleRef make_text(Kind kind, std::string text) {
  PickleRef value = make(kind);
  value->text = std::move(text);
  return value;
}

class Machine {
 public:
  Machine(const char* data, std::size_t size, const PickleCalls& calls)
      : data_(reinterpret_cast<const unsigned char*>(data)), size_(size), calls_(calls) {}

  PickleRef run() {
    while (true) {
      op_at_ = pos_;
      const unsigned char op = byte();
      if (op == '.') {  // STOP
        if (stack_.size() != 1) fail("STOP with " + std::to_string(stack_.size()) + " values on the stack");
        return stack_.back();
      }
      step(op);
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw PickleError("pickle data at byte " + std::to_string(op_at_) + ": " + what);
  }

  const unsigned char* take(std::size_t n) {
    if (n > size_ - pos_) fail("ends in the middle of an instruction (the data is cut short)");
    const unsigned char* p = data_ + pos_;
    pos_ += n;
    return p;
  }
  unsigned char byte() { return *take(1); }
  // Little-endian unsigned integer of n bytes.
  uint64_t unsigned_le(std::size_t n) {
    const unsigned char* p = take(n);
    uint64_t v = 0;
    for (std::size_t i = n; i-- > 0;) v = (v << 8) | p[i];
    return v;
  }
  std::string bytes(uint64_t n) {
    if (n > size_ - pos_) fail("a string of " + std::to_string(n) + " bytes runs past the end of the data");
    const unsigned char* p = take(static_cast<std::size_t>(n));
    return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n));
  }
  std::string line() {
    std::string out;
    while (true) {
      const unsigned char c = byte();
      if (c == '\n') return out;
      out.push_back(static_cast<char>(c));
    }
  }

  void push(PickleRef value) { stack_.push_back(std::move(value)); }
  PickleRef pop() {
    if (stack_.size() <= floor()) fail("pops an empty stack");
    PickleRef value = std::move(stack_.back());
    stack_.pop_back();
    return value;
  }
  PickleRef& top() {
    if (stack_.size() <= floor()) fail("reads an empty stack");
    return stack_.back();
  }
  // Stack entries below the innermost mark belong to the enclosing frame.
  std::size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
  std::vector<PickleRef> pop_to_mark() {
    if (marks_.empty()) fail("needs a MARK that is not there");
    const std::size_t mark = marks_.back();
    marks_.pop_back();
    std::vector<PickleRef> items(stack_.begin() + static_cast<std::ptrdiff_t>(mark), stack_.end());
    stack_.resize(mark);
    return items;
  }

  PickleRef tuple(std::vector<PickleRef> items) {
    PickleRef value = make(Kind::Tuple);
    value->items = std::move(items);
    return value;
  }

  void set_items(PickleRef& target, const std::vector<PickleRef>& flat) {
    if (!target->is(Kind::Dict)) fail("adds dict items to a value that is not a dict");
    if (flat.size() % 2 != 0) fail("adds an odd number of key/value entries to a dict");
    for (std::size_t i = 0; i < flat.size(); i += 2) {
      auto& entries = target->entries;
      bool replaced = false;
      // Dict keys in checkpoints are strings; equal string keys replace.
      if (flat[i]->is(Kind::String)) {
        for (auto& entry : entries) {
          if (entry.first->is(Kind::String) && entry.first->text == flat[i]->text) {
            entry.second = flat[i + 1];
            replaced = true;
            break;
          }
        }
      }
      if (!replaced) entries.emplace_back(flat[i], flat[i + 1]);
    }
  }

  void append_items(PickleRef& target, const std::vector<PickleRef>& items) {
    if (!target->is(Kind::List)) fail("appends to a value that is not a list");
    target->items.insert(target->items.end(), items.begin(), items.end());
  }

  void memo_put(uint64_t key) { memo_[key] = top(); }
  void memo_get(uint64_t key) {
    const auto it = memo_.find(key);
    if (it == memo_.end()) fail("refers to memo entry " + std::to_string(key) + " that was never stored");
    push(it->second);
  }

  // REDUCE/NEWOBJ: known callables become values, others opaque objects.
  PickleRef call(const PickleRef& callable, const PickleRef& args) {
    if (!callable->is(Kind::Global)) fail("calls a value that is not a global");
    if (!args->is(Kind::Tuple)) fail("calls '" + callable->text + "' with arguments that are not a tuple");
    if (callable->text == "collections.OrderedDict") {
      PickleRef dict = make(Kind::Dict);
      // OrderedDict(items): a list of (key, value) pairs, if given at all.
      if (!args->items.empty() && args->items[0]->is(Kind::List)) {
        for (const PickleRef& pair : args->items[0]->items) {
          if (!pair->is(Kind::Tuple) || pair->items.size() != 2) fail("builds an OrderedDict from a non-pair");
          dict->entries.emplace_back(pair->items[0], pair->items[1]);
        }
      }
      return dict;
    }
    if (calls_.call) {
      if (PickleRef value = calls_.call(callable->text, args)) return value;
    }
    PickleRef object = make_text(Kind::Object, callable->text);
    object->items = args->items;
    return object;
  }

  void step(unsigned char op) {
    switch (op) {
      case 0x80: byte(); return;                   // PROTO
      case 0x95: unsigned_le(8); return;           // FRAME: a size hint
      case '(': marks_.push_back(stack_.size()); return;  // MARK
      case ')': push(tuple({})); return;           // EMPTY_TUPLE
      case ']': push(make(Kind::List)); return;    // EMPTY_LIST
      case '}': push(make(Kind::Dict)); return;    // EMPTY_DICT
      case 0x8f: push(make(Kind::List)); return;   // EMPTY_SET (kept as a list)
      case 'N': push(make(Kind::None)); return;    // NONE
      case 0x88:                                   // NEWTRUE
      case 0x89: {                                 // NEWFALSE
        PickleRef value = make(Kind::Bool);
        value->boolean = op == 0x88;
        push(value);
        return;
      }
      case 'J': push_int(static_cast<int32_t>(static_cast<uint32_t>(unsigned_le(4)))); return;  // BININT
      case 'K': push_int(static_cast<int64_t>(unsigned_le(1))); return;  // BININT1
      case 'M': push_int(static_cast<int64_t>(unsigned_le(2))); return;  // BININT2
      case 0x8a: push_long(unsigned_le(1)); return;  // LONG1
      case 0x8b: push_long(unsigned_le(4)); return;  // LONG4
      case 'G': {                                    // BINFLOAT: big-endian IEEE double
        const unsigned char* p = take(8);
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | p[i];
        PickleRef value = make(Kind::Float);
        std::memcpy(&value->real, &bits, sizeof bits);
        push(value);
        return;
      }
      case 'X': push(make_text(Kind::String, bytes(unsigned_le(4)))); return;  // BINUNICODE
      case 0x8c: push(make_text(Kind::String, bytes(unsigned_le(1)))); return;  // SHORT_BINUNICODE
      case 0x8d: push(make_text(Kind::String, bytes(unsigned_le(8)))); return;  // BINUNICODE8
      case 'T': push(make_text(Kind::String, bytes(unsigned_le(4)))); return;  // BINSTRING (Python 2 str)
      case 'U': push(make_text(Kind::String, bytes(unsigned_le(1)))); return;  // SHORT_BINSTRING
      case 'B': push(make_text(Kind::Bytes, bytes(unsigned_le(4)))); return;  // BINBYTES
      case 'C': push(make_text(Kind::Bytes, bytes(unsigned_le(1)))); return;  // SHORT_BINBYTES
      case 0x8e: push(make_text(Kind::Bytes, bytes(unsigned_le(8)))); return;  // BINBYTES8
      case 'c': {                                    // GLOBAL module\nname\n
        std::string module = line();
        std::string name = line();
        push(make_text(Kind::Global, module + "." + name));
        return;
      }
      case 0x93: {                                   // STACK_GLOBAL
        const PickleRef name = pop();
        const PickleRef module = pop();
        if (!name->is(Kind::String) || !module->is(Kind::String)) fail("STACK_GLOBAL without two strings");
        push(make_text(Kind::Global, module->text + "." + name->text));
        return;
      }
      case 't': push(tuple(pop_to_mark())); return;  // TUPLE
      case 0x85: push(tuple({pop()})); return;       // TUPLE1
      case 0x86: {                                   // TUPLE2
        PickleRef b = pop();
        PickleRef a = pop();
        push(tuple({a, b}));
        return;
      }
      case 0x87: {                                   // TUPLE3
        PickleRef c = pop();
        PickleRef b = pop();
        PickleRef a = pop();
        push(tuple({a, b, c}));
        return;
      }
      case 'l': {                                    // LIST
        PickleRef list = make(Kind::List);
        list->items = pop_to_mark();
        push(list);
        return;
      }
      case 'd': {                                    // DICT
        std::vector<PickleRef> flat = pop_to_mark();
        PickleRef dict = make(Kind::Dict);
        set_items(dict, flat);
        push(dict);
        return;
      }
      case 'a': {                                    // APPEND
        PickleRef item = pop();
        append_items(top(), {item});
        return;
      }
      case 'e':                                      // APPENDS
      case 0x90: {                                   // ADDITEMS (to a set)
        std::vector<PickleRef> items = pop_to_mark();
        append_items(top(), items);
        return;
      }
      case 0x91: {                                   // FROZENSET
        PickleRef set = make(Kind::List);
        set->items = pop_to_mark();
        push(set);
        return;
      }
      case 's': {                                    // SETITEM
        PickleRef value = pop();
        PickleRef key = pop();
        set_items(top(), {key, value});
        return;
      }
      case 'u': {                                    // SETITEMS
        std::vector<PickleRef> flat = pop_to_mark();
        set_items(top(), flat);
        return;
      }
      case 'q': memo_put(unsigned_le(1)); return;    // BINPUT
      case 'r': memo_put(unsigned_le(4)); return;    // LONG_BINPUT
      case 0x94: memo_put(memo_.size()); return;     // MEMOIZE
      case 'h': memo_get(unsigned_le(1)); return;    // BINGET
      case 'j': memo_get(unsigned_le(4)); return;    // LONG_BINGET
      case 'Q': {                                    // BINPERSID
        PickleRef id = pop();
        if (!calls_.persistent_load) fail("holds a persistent id, which this data may not");
        push(calls_.persistent_load(id));
        return;
      }
      case 'R': {                                    // REDUCE
        PickleRef args = pop();
        PickleRef callable = pop();
        push(call(callable, args));
        return;
      }
      case 0x81: {                                   // NEWOBJ: cls.__new__(cls, *args)
        PickleRef args = pop();
        PickleRef cls = pop();
        push(call(cls, args));
        return;
      }
      case 'b': {                                    // BUILD: obj.__setstate__(state)
        PickleRef state = pop();
        PickleRef& target = top();
        // An OrderedDict's state is its instance attributes (a state dict's
        // _metadata): not content. Other objects keep it as a last argument.
        if (target->is(Kind::Object)) target->items.push_back(state);
        return;
      }
      case '0': pop(); return;                       // POP
      case '1': pop_to_mark(); return;               // POP_MARK
      case '2': push(top()); return;                 // DUP
      default: {
        std::ostringstream os;
        os << "has opcode 0x" << std::hex << static_cast<int>(op)
           << ", which torch.save does not write (not a torch.save pickle, or a text-mode pickle)";
        fail(os.str());
      }
    }
  }

  void push_int(int64_t v) {
    PickleRef value = make(Kind::Int);
    value->integer = v;
    push(value);
  }
  // LONG1/LONG4: n bytes of little-endian two's complement.
  void push_long(uint64_t n) {
    if (n > 8) fail("holds an integer of " + std::to_string(n) + " bytes, beyond 64 bits");
    const unsigned char* p = take(static_cast<std::size_t>(n));
    uint64_t v = 0;
    for (std::size_t i = n; i-- > 0;) v = (v << 8) | p[i];
    if (n > 0 && n < 8 && (p[n - 1] & 0x80)) v |= ~uint64_t{0} << (8 * n);  // sign-extend
    push_int(static_cast<int64_t>(v));
  }

  const unsigned char* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
  std::size_t op_at_ = 0;
  const PickleCalls& calls_;
  std::vector<PickleRef> stack_;
  std::vector<std::size_t> marks_;
  std::unordered_map<uint64_t, PickleRef> memo_;
};

}  // namespace

PickleRef read_pickle(const char* data, std::size_t size, const PickleCalls& calls) {
  return Machine(data, size, calls).run();
}

}  // namespace nasctl::supernet::detail
