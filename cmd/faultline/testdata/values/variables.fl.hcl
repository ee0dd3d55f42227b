# Values that come from variables and locals are known at validate time
# and checked like literals. Every line marked `# want:COL SUMMARY` must
# get exactly that error at that column from `faultline validate`; no
# other line any.
variable "signal" {
  type    = string
  default = "SIGKIL"
}

variable "port" {
  type    = number
  default = 80800
}

locals {
  loss = 150
}

cloud "lab" {
  driver = "universal"

  node "n1" { address = "198.18.230.61" }

  network "mgmt" { iface = "eth0" }

  service "api" {
    driver       = "system_service"
    service_name = "api"
    port         = var.port # want:20 Invalid attribute value
    hosts        = ["n1"]
  }
}

scenario "variable-values" {
  cloud = cloud.lab

  step "kill" {
    kill   = service.api
    signal = var.signal # want:14 Invalid argument value
  }
  step "loss" {
    loss    = network.mgmt
    percent = local.loss # want:15 Invalid argument value
  }
  step "stress" {
    stress   = all()
    duration = "10s"
    kind     = lower("BOGUS") # want:16 Invalid argument value
  }
}
