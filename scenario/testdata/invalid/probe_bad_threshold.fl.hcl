probe "api" {
  http { url = "http://198.18.0.11/" }
  failure_threshold = 0 # ERROR: Invalid failure_threshold
}
