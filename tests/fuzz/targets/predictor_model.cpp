// Predictor model files (versioned JSON of a fitted regressor). A model
// that loads is asked for predictions of every input width up to 40 (the
// right width must give a number, any other a PredictError): a restored
// state that passed the checks must not break predict_one.
#include "../fuzz_targets.hpp"
#include "nasctl/error.hpp"
#include "nasctl/predict/model_io.hpp"

namespace nasctl::fuzz {

int predictor_model(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto model = predict::from_model_text(text, "fuzz.json");
    for (std::size_t width = 0; width <= 40; ++width) {
      try {
        model->predict_one(std::vector<double>(width, 1.0));
      } catch (const Error&) {
      }
    }
  } catch (const Error&) {
  }
  return 0;
}

}  // namespace nasctl::fuzz
