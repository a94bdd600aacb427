module github.com/kubesim/kubesim/e2e

go 1.26

require github.com/kubesim/kubesim v0.0.0

require (
	github.com/google/btree v1.1.3 // indirect
	github.com/robfig/cron/v3 v3.0.1 // indirect
	go.yaml.in/yaml/v2 v2.4.2 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	sigs.k8s.io/yaml v1.6.0 // indirect
)

replace github.com/kubesim/kubesim => ../
