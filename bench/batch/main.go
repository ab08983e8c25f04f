// Command batch measures the verifier batch check over HTTP for
// bench/lists.sh: it sends batches of identifiers from a sample file to
// POST /api/v1/checks/batch on several connections for a while and prints
// identifiers checked per second.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tallycredit/tally"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:8080", "server")
	token := flag.String("token", os.Getenv("TALLY_TOKEN"), "verifier token")
	ids := flag.String("ids", "ids.txt", "identifier,name lines")
	size := flag.Int("batch", 10000, "identifiers a request")
	conns := flag.Int("c", 4, "concurrent connections")
	dur := flag.Duration("d", 10*time.Second, "how long")
	listed := flag.Int("listed", 1, "percent of each batch that is listed (denied)")
	flag.Parse()
	f, err := os.Open(*ids)
	if err != nil {
		log.Fatal(err)
	}
	type item struct {
		Subject string `json:"subject"`
		Name    string `json:"name"`
	}
	var items []item
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		id, name, _ := strings.Cut(sc.Text(), ",")
		items = append(items, item{id, name})
	}
	// Bodies: a share of listed persons (-listed, in percent) and the rest
	// valid identifiers of persons not listed (another area code).
	var bodies [][]byte
	next := 0
	for len(bodies) < 16 && next < len(items) {
		batch := make([]item, *size)
		for i := range batch {
			it := items[next%len(items)]
			next++
			if i*100 >= *listed**size {
				body := "371083" + it.Subject[6:17]
				it = item{body + string(tally.ResidentCheck(body)), it.Name}
			}
			batch[i] = it
		}
		b, _ := json.Marshal(map[string]any{"measure": "air-travel", "items": batch})
		bodies = append(bodies, b)
	}
	if len(bodies) == 0 {
		log.Fatalf("%s has fewer than %d identifiers", *ids, *size)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *conns}}
	var checked, requests, failed atomic.Int64
	deadline := time.Now().Add(*dur)
	var wg sync.WaitGroup
	began := time.Now()
	for c := 0; c < *conns; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := c; time.Now().Before(deadline); i++ {
				req, _ := http.NewRequest("POST", *url+"/api/v1/checks/batch", bytes.NewReader(bodies[i%len(bodies)]))
				req.Header.Set("Authorization", "Bearer "+*token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					failed.Add(1)
					continue
				}
				requests.Add(1)
				checked.Add(int64(*size))
			}
		}(c)
	}
	wg.Wait()
	secs := time.Since(began).Seconds()
	fmt.Printf("batch\t%d requests of %d\t%.0f identifiers/s\t%d failed\n", requests.Load(), *size, float64(checked.Load())/secs, failed.Load())
}
