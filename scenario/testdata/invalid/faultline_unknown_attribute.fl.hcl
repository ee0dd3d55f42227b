faultline {
  required_version = ">= 0.1"
  experiments      = ["x"] # ERROR: Unsupported argument
}
