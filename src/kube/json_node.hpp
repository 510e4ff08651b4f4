#pragma once
// A read-only view of one node of a document simdjson's DOM parser has parsed, with the part of
// Value's interface the pod-template readers use (find, [], items, members, str, as_bool), so
// that the same reader code runs over a Value tree (manifests) and straight over a parsed audit
// event's requestObject, where building a tree first would cost more than the reading itself.
//
// It also stands in for its own pointer: a view that found nothing is "null" (== nullptr, false),
// and -> and * give the view itself, so reader code written as `if (auto v = x.find(k)) v->str()`
// reads both kinds of node. Views are valid while the parser's document is.
//
// As a tree read from the same JSON would: every node is on line 1; a key written twice finds
// its last value; a number's text is the text its value prints as. Iterating members visits a
// key written twice each time (a tree keeps one): an API server never writes one twice.
#include <simdjson.h>

#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string_view>
#include <utility>

namespace mg::kube {

class JsonNode {
 public:
  JsonNode() = default;
  explicit JsonNode(simdjson::dom::element element) : element_(element), present_(true) {}

  explicit operator bool() const { return present_; }
  bool operator==(std::nullptr_t) const { return !present_; }
  const JsonNode* operator->() const { return this; }
  const JsonNode& operator*() const { return *this; }

  bool is_null() const { return !present_ || element_.type() == simdjson::dom::element_type::NULL_VALUE; }
  bool is_object() const { return present_ && element_.type() == simdjson::dom::element_type::OBJECT; }
  bool is_array() const { return present_ && element_.type() == simdjson::dom::element_type::ARRAY; }
  bool is_string() const { return present_ && element_.type() == simdjson::dom::element_type::STRING; }
  bool is_scalar() const { return !is_object() && !is_array(); }
  int line() const { return 1; }

  // As Value::str: the text of a string, number or boolean, else `fallback`. A number's text is
  // kept in a small per-thread ring of buffers (the document holds only its value): copy it
  // before reading more than kNumberTexts other numbers.
  std::string_view str(std::string_view fallback = {}) const;
  std::optional<bool> as_bool() const;

  JsonNode find(std::string_view key) const;   // the last member of that key, or null
  JsonNode find(std::initializer_list<std::string_view> path) const;
  JsonNode operator[](std::string_view key) const { return find(key); }
  std::size_t size() const;

  class Items;
  class Members;
  Items items() const;       // empty unless an array
  Members members() const;   // empty unless an object; pairs of key and value
  simdjson::dom::element element() const { return element_; }   // meaningful when present

  static constexpr std::size_t kNumberTexts = 16;

 private:
  simdjson::dom::element element_;
  bool present_ = false;
};

class JsonNode::Items {
 public:
  class iterator {
   public:
    using value_type = JsonNode;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    explicit iterator(simdjson::dom::array::iterator at) : at_(at), live_(true) {}
    JsonNode operator*() const { return JsonNode(*at_); }
    iterator& operator++() {
      ++at_;
      return *this;
    }
    // An empty range's iterators hold no position to compare (simdjson leaves it unset).
    bool operator==(const iterator& other) const { return live_ && other.live_ ? at_ == other.at_ : live_ == other.live_; }

   private:
    simdjson::dom::array::iterator at_;
    bool live_ = false;
  };
  Items() = default;
  explicit Items(simdjson::dom::array array) : array_(array), present_(true) {}
  iterator begin() const { return present_ ? iterator(array_.begin()) : iterator(); }
  iterator end() const { return present_ ? iterator(array_.end()) : iterator(); }
  std::size_t size() const { return present_ ? array_.size() : 0; }
  bool empty() const { return size() == 0; }

 private:
  simdjson::dom::array array_;
  bool present_ = false;
};

class JsonNode::Members {
 public:
  class iterator {
   public:
    using value_type = std::pair<std::string_view, JsonNode>;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    explicit iterator(simdjson::dom::object::iterator at) : at_(at), live_(true) {}
    value_type operator*() const { return {at_.key(), JsonNode(at_.value())}; }
    iterator& operator++() {
      ++at_;
      return *this;
    }
    bool operator==(const iterator& other) const { return live_ && other.live_ ? at_ == other.at_ : live_ == other.live_; }

   private:
    simdjson::dom::object::iterator at_;
    bool live_ = false;
  };
  Members() = default;
  explicit Members(simdjson::dom::object object) : object_(object), present_(true) {}
  iterator begin() const { return present_ ? iterator(object_.begin()) : iterator(); }
  iterator end() const { return present_ ? iterator(object_.end()) : iterator(); }

 private:
  simdjson::dom::object object_;
  bool present_ = false;
};

}  // namespace mg::kube
