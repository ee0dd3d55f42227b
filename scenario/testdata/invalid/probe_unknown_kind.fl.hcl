probe "api" { # ERROR: Missing probe kind
  htpp { url = "http://198.18.0.11/" } # ERROR: Unsupported block type
}
