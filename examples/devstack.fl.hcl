# os-faults README, example 1: a DevStack all-in-one node. The devstack
# cloud driver brings DevStack's built-in service table (keystone, nova-api,
# mysql, rabbitmq, ...), so scenarios can name those services directly.

variable "devstack_key" {
  type        = string
  default     = "cloud_key"
  description = "SSH key of the stack user"
}

cloud "devstack" {
  driver = "devstack"

  auth {
    username         = "stack"
    private_key_file = var.devstack_key
    become           = true
    known_hosts      = "./known_hosts"
  }

  node "devstack" {
    address = "198.18.200.10"
    fqdn    = "devstack.local"
  }

  network "all-in-one" {
    iface = "enp0s8"
  }
}

scenario "restart-keystone" {
  cloud = cloud.devstack
  seed  = 1

  step "restart" {
    restart = service.keystone
  }
}
