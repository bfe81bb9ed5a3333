#pragma once
// The one error vocabulary of every service: an AWS error code, the message
// AWS sends, the HTTP status, and any extra members of the error body
// (CancellationReasons, Item, ...). Each protocol serializer in protocol/
// renders it the way that protocol does on AWS. Handlers return it as a value
// (result<T>); nothing a client sends may escape as an exception or a 500.

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>
#include <string>

namespace stratus {

struct api_error {
  api_error() = default;
  // Two strings at least, so that a lone string never converts to an error
  // (result<std::string> stays unambiguous).
  api_error(std::string code, std::string message, unsigned status = 400, bool sender_fault = true,
            boost::json::object extra = {})
      : code(std::move(code)),
        message(std::move(message)),
        status(status),
        sender_fault(sender_fault),
        extra(std::move(extra)) {}

  std::string code;     // "ResourceNotFoundException"
  std::string message;  // shown to the client as is
  unsigned status = 400;
  bool sender_fault = true;   // query protocol: <Type>Sender</Type> or Receiver
  boost::json::object extra;  // further members of the error body

  // The errors every AWS service shares, spelled as AWS spells them.
  static api_error validation(std::string message);              // ValidationException, 400
  static api_error serialization(std::string message);           // SerializationException, 400
  static api_error unknown_operation(std::string message = {});  // UnknownOperationException, 400
  static api_error not_implemented(std::string_view service, std::string_view operation);
  static api_error internal(std::string message);  // InternalFailure / InternalServerError, 500
};

// Lets result<T>::value() throw when misused (a programming error).
[[noreturn]] void throw_exception_from_error(const api_error& e, const boost::source_location& loc);

template <class T>
using result = boost::system::result<T, api_error>;

}  // namespace stratus
