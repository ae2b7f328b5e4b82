// The messages of a distributed run (mpi_job.cpp), as bytes: a list of
// fields, each "<length>:<bytes>", the first naming the message and the
// wire version ("nasctl-mpi/1 job"). Numbers are decimal, doubles C99 hex
// floats ("%a": exact, inf and nan included), so a worker's metrics reach
// rank 0 bit for bit. A rank that speaks another version is refused at
// start-up (its fingerprint message does not decode).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "nasctl/runtime/evaluator.hpp"
#include "nasctl/runtime/mpi.hpp"

namespace nasctl::runtime::wire {

inline constexpr const char* kVersion = "nasctl-mpi/1";

std::string pack(const std::vector<std::string>& fields);
// Throws Error naming `from` for bytes that are not a list of fields.
std::vector<std::string> unpack(const std::string& bytes, const std::string& from);

std::string hex_double(double v);
double parse_double(const std::string& text, const std::string& from);
long long parse_integer(const std::string& text, const std::string& from);

// rank 0 -> worker: evaluate this candidate (its canonical text).
std::string job(std::size_t index, const std::string& canonical);
struct Job {
  std::size_t index = 0;
  std::string canonical;
};
Job read_job(const std::string& bytes, const std::string& from);

// worker -> rank 0: the record's metrics, error, seconds, rank and host.
std::string result(const EvaluationRecord& record);
// Fills index, metrics, error, seconds, rank and host of `into`; returns the index.
std::size_t read_result(const std::string& bytes, const std::string& from, EvaluationRecord& into);

std::string fingerprint(const RankFingerprint& f);
RankFingerprint read_fingerprint(const std::string& bytes, const std::string& from);

}  // namespace nasctl::runtime::wire
