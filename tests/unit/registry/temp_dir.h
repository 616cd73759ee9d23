// A fresh directory under the system temp dir for one test, removed afterwards.
#ifndef WIFGATE_TESTS_REGISTRY_TEMP_DIR_H_
#define WIFGATE_TESTS_REGISTRY_TEMP_DIR_H_

#include <unistd.h>

#include <filesystem>
#include <string>

namespace wifgate::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "wifgate-test-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace wifgate::testing

#endif  // WIFGATE_TESTS_REGISTRY_TEMP_DIR_H_
