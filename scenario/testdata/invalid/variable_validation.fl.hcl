variable "key" {
  type    = string
  default = "" # ERROR: Invalid value for variable
  validation {
    condition     = length(var.key) > 0
    error_message = "The key path must not be empty."
  }
}
cloud "lab" {
  node "ctl-1" {
    address = "198.18.0.11"
    labels  = { role = "controller" }
  }
  service "memcached" { driver = "system_service" }
}

probe "api" {
  http { url = "http://198.18.0.11:8080/health" }
}
