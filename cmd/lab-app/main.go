// Command lab-app is the static binary of the lab's Docker image
// faultline-lab-app:latest; see package labapp.
package main

import (
	"os"

	"github.com/faultline-dev/faultline/drivers/lab/labapp"
)

func main() { os.Exit(labapp.Main(os.Args[1:])) }
