probe "api" {
  http { url = "http://198.18.0.11/" }
  ok = stauts == 200 # ERROR: Unknown variable @col=8
}
