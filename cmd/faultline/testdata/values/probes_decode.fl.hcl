# References in probe kind bodies are checked when the file is decoded,
# with a did-you-mean, and so is a probe's timeout. Every line marked `# want:COL SUMMARY` must get
# exactly that error at that column from `faultline validate`; no other
# line any.
variable "api_url" {
  type    = string
  default = "http://198.18.230.81:8080/health"
}

locals {
  api_host = "198.18.230.81"
}

cloud "lab" {
  driver = "universal"

  node "n1" { address = "198.18.230.81" }
}

probe "variable-typo" {
  http { url = var.api_ulr } # want:16 Reference to undeclared input variable
}

probe "local-typo" {
  tcp { address = "${local.api_hots}:22" } # want:22 Reference to undeclared local value
}

probe "unknown-root" {
  tcp { address = vars.api_url } # want:19 Unknown variable
}

probe "unknown-function" {
  http { url = upcase(var.api_url) } # want:16 Call to unknown function
}

probe "negative-timeout" {
  tcp {
    address = "198.18.230.81:22"
    timeout = "-5s" # want:15 Invalid duration
  }
}

probe "keystone-variable-typo" {
  http {
    url = var.api_url
    keystone {
      url      = "http://198.18.230.80:5000/v3"
      username = "admin"
      password = var.os_pasword # want:18 Reference to undeclared input variable
    }
  }
}

scenario "probed" {
  cloud = cloud.lab

  step "reboot" { reboot = one() }
}
