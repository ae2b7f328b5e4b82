#include "nasctl/runtime/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "nasctl/error.hpp"

namespace nasctl::runtime {

namespace {

void write_all(int fd, const std::string& text, const std::string& path) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(path + ": cannot append to the journal (" + std::strerror(errno) + "); fix: free disk space or check permissions; the run can be resumed");
    done += static_cast<std::size_t>(n);
  }
}

nlohmann::json to_json(const EvaluationRecord& r) {
  nlohmann::json metrics = nlohmann::json::object();
  for (const auto& [k, v] : r.metrics) metrics[k] = std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
  nlohmann::json j{{"index", r.index}, {"arch", r.canonical}, {"choices", r.arch}, {"metrics", metrics},
                   {"seconds", r.seconds}, {"elapsed", r.elapsed}};
  if (!r.error.empty()) j["error"] = r.error;
  if (r.rank >= 0) {  // a distributed run: who evaluated it
    j["rank"] = r.rank;
    j["host"] = r.host;
  }
  return j;
}

// A whole number of the journal that must fit `limit`. nlohmann's
// get<int>() of 1e39 is undefined behaviour, not an exception (found by
// fuzzing), so the value is checked before it is converted.
std::int64_t whole_number(const nlohmann::json& v, const char* field, std::int64_t limit, const std::string& where) {
  const bool fits = (v.is_number_unsigned() && v.get<std::uint64_t>() <= static_cast<std::uint64_t>(limit)) ||
                    (v.is_number_integer() && !v.is_number_unsigned() && v.get<std::int64_t>() >= 0 &&
                     v.get<std::int64_t>() <= limit);
  if (!fits)
    throw DataError(where + ": journal record field '" + field + "' holds " + v.dump().substr(0, 40) +
                    ", not a whole number from 0 to " + std::to_string(limit) + "; fix: remove that line");
  return v.get<std::int64_t>();
}

EvaluationRecord from_json(const nlohmann::json& j, const std::string& where) {
  EvaluationRecord r;
  r.index = static_cast<std::size_t>(
      whole_number(j.at("index"), "index", std::numeric_limits<std::int64_t>::max(), where));
  r.canonical = j.at("arch").get<std::string>();
  const nlohmann::json& choices = j.at("choices");
  if (!choices.is_array()) throw DataError(where + ": journal record field 'choices' is not a list; fix: remove that line");
  for (const auto& c : choices)
    r.arch.push_back(static_cast<int>(whole_number(c, "choices", std::numeric_limits<int>::max(), where)));
  for (const auto& [k, v] : j.at("metrics").items())
    r.metrics[k] = v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>();
  r.seconds = j.at("seconds").get<double>();
  r.elapsed = j.at("elapsed").get<double>();
  if (j.contains("error")) r.error = j.at("error").get<std::string>();
  if (j.contains("rank")) r.rank = static_cast<int>(whole_number(j.at("rank"), "rank", std::numeric_limits<int>::max(), where));
  if (j.contains("host")) r.host = j.at("host").get<std::string>();
  return r;
}

// Offset just past the last '\n' of the file (0 when there is none).
off_t end_of_last_line(int fd, off_t size, const std::string& path) {
  char block[4096];
  for (off_t end = size; end > 0;) {
    const off_t start = end > static_cast<off_t>(sizeof block) ? end - static_cast<off_t>(sizeof block) : 0;
    const ssize_t n = ::pread(fd, block, static_cast<std::size_t>(end - start), start);
    if (n != end - start) throw Error(path + ": cannot read the journal (" + std::strerror(errno) + "); fix: check the file's permissions");
    for (ssize_t i = n; i-- > 0;) {
      if (block[i] == '\n') return start + i + 1;
    }
    end = start;
  }
  return 0;
}

// A run killed mid-write leaves a last line without its newline. Appending
// after it would glue the next record onto the fragment and make a corrupt
// line in the middle, which every later resume refuses. So the fragment is
// cut off (read() dropped it too), or, when it is a whole record that only
// lacks its newline (read() kept it), the newline is added.
// Returns the journal's size afterwards.
off_t finish_last_line(int fd, const std::string& path) {
  const off_t size = ::lseek(fd, 0, SEEK_END);
  if (size <= 0) return 0;
  const off_t keep = end_of_last_line(fd, size, path);
  if (keep == size) return size;
  std::string fragment(static_cast<std::size_t>(size - keep), '\0');
  if (::pread(fd, fragment.data(), fragment.size(), keep) != static_cast<ssize_t>(fragment.size()))
    throw Error(path + ": cannot read the journal (" + std::strerror(errno) + "); fix: check the file's permissions");
  if (nlohmann::json::accept(fragment)) {
    write_all(fd, "\n", path);
    return size + 1;
  }
  if (::ftruncate(fd, keep) != 0)
    throw Error(path + ": cannot cut the unfinished last line (" + std::strerror(errno) + "); fix: remove that line by hand");
  return keep;
}

}  // namespace

Journal::Journal(const std::string& path, const std::string& space_name) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(path + ": cannot open the journal for writing (" + std::strerror(errno) + "); fix: choose a writable output folder with -o");
  if (finish_last_line(fd_, path_) == 0) {
    const nlohmann::json header{{"nasctl_journal", kJournalVersion}, {"space", space_name}};
    write_all(fd_, header.dump() + "\n", path_);
  }
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

void Journal::append(const EvaluationRecord& record) { write_all(fd_, to_json(record).dump() + "\n", path_); }

void Journal::append_time_stop(double elapsed) {
  write_all(fd_, nlohmann::json{{"time_stop", elapsed}}.dump() + "\n", path_);
}

std::vector<EvaluationRecord> Journal::read(const std::string& path, double* time_stop) {
  if (time_stop) *time_stop = 0.0;
  std::ifstream in(path);
  if (!in) throw DataError(path + ": cannot read the journal; fix: point --resume at a run folder");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  // A line without its newline is one a killed run was writing.
  in.clear();
  in.seekg(0, std::ios::end);
  const auto size = static_cast<std::streamoff>(in.tellg());
  bool last_complete = true;
  if (size > 0) {
    in.seekg(size - 1);
    last_complete = in.get() == '\n';
  }
  std::vector<EvaluationRecord> records;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string where = path + ":" + std::to_string(i + 1);
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(lines[i]);
    } catch (const nlohmann::json::exception&) {
      if (i + 1 == lines.size() && (!last_complete || lines[i].empty())) {
        spdlog::warn("{}: dropping the last journal line, cut short when the run stopped", where);
        break;
      }
      throw DataError(where + ": corrupt journal line; fix: remove that line (the evaluation will be redone)");
    }
    if (i == 0) {
      if (!j.is_object() || !j.contains("nasctl_journal"))
        throw DataError(where + ": not a nasctl journal (no header); fix: point --resume at a folder written by nasctl search");
      if (j["nasctl_journal"] != kJournalVersion)
        throw DataError(where + ": journal version " + j["nasctl_journal"].dump() + " is not supported by this nasctl (" +
                        std::to_string(kJournalVersion) + "); fix: resume with the nasctl version that wrote it");
      continue;
    }
    try {
      if (j.is_object() && j.contains("time_stop")) {
        if (time_stop) *time_stop = std::max(*time_stop, j["time_stop"].get<double>());
        continue;
      }
      records.push_back(from_json(j, where));
    } catch (const nlohmann::json::exception& e) {
      throw DataError(where + ": journal record is missing fields (" + e.what() + "); fix: remove that line");
    }
  }
  if (lines.empty()) throw DataError(path + ": empty journal; fix: start a new run instead of resuming");
  return records;
}

}  // namespace nasctl::runtime
