probe "api" {
  http { url = "http://198.18.0.11/" }
  tcp { address = "198.18.0.11:80" } # ERROR: Multiple probe kinds @col=3
}
