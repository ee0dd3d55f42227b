variable "user" { default = "stack" }

cloud "lab" {
  auth { username = var.user }
  node "ctl-1" { address = "198.18.0.11" }
  service "memcached" { driver = "system_service" }
}
