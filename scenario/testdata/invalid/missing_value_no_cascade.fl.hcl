# A variable without a value is one error, not one per use.
variable "addr" { # ERROR: No value for required variable
  type = string
}

variable "n" { # ERROR: No value for required variable
  type = number
}

cloud "lab" {
  node "n1" {
    address = var.addr
    port    = var.n
  }
}

scenario "s" {
  cloud = cloud.lab
  step "s" {
    reboot   = count(var.n)
    duration = var.n
    cpu      = var.n
  }
}
