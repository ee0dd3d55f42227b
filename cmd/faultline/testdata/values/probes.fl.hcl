# Probe kind bodies are decoded against the kind's schema at validate
# time. Every line marked `# want:COL SUMMARY` must get exactly that error
# at that column from `faultline validate`; no other line any.
variable "api_url" {
  type    = string
  default = "http://198.18.230.71:8080/health"
}

cloud "lab" {
  driver = "universal"

  node "n1" { address = "198.18.230.71" }
}

probe "typo-attribute" {
  http {
    url  = var.api_url
    urll = var.api_url # want:5 Unsupported argument
  }
}

probe "number-url" {
  http { url = 42 } # want:16 Invalid probe URL
}

probe "ftp-url" {
  http { url = "ftp://198.18.230.71/" } # want:16 Invalid probe URL
}

probe "bad-method" {
  http {
    url    = var.api_url
    method = "GET /" # want:14 Invalid HTTP method
  }
}

probe "bad-address" {
  tcp { address = "198.18.230.71:70000" } # want:19 Invalid TCP address
}

probe "list-command" {
  command { command = ["uptime"] } # want:23 Incorrect attribute value type
}

probe "unknown-command-attribute" {
  command {
    command = "uptime"
    sudo    = true # want:5 Unsupported argument
  }
}

scenario "probed" {
  cloud = cloud.lab

  steady_state {
    probes = [probe.typo-attribute]
  }

  step "reboot" { reboot = one() }
}
