// Package synth invents plausible, valid test data: persons with resident
// identity numbers that pass their checksum, shops with Unified Social
// Credit Codes, and conduct under a rulebook's rules at realistic rates.
// The demo and the benchmark generator (tally gen) both use it; the same
// seed always gives the same data. Nothing here is a real person.
package synth

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tallycredit/tally"
)

// Common surnames and given-name characters, for plausible synthetic names.
var (
	surnames = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	given    = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌海波宇浩鹏飞婷雪梅琳晨欣怡子涵宏亮春燕凤云德福庆松")
	// Rongcheng city and nearby county-level area codes (Weihai, Shandong).
	areas = []string{"371082", "371081", "371083", "371002", "371003"}
)

// Identity is a synthetic subject: a valid identifier and a name.
type Identity struct {
	ID   string
	Name string
}

// Person returns a person born between the given years, with a valid
// check character; seq makes the number unlikely to repeat (callers that
// need certainty use NthPerson).
func Person(rng *rand.Rand, seq int, fromYear, toYear int) Identity {
	born := time.Date(fromYear, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN((toYear-fromYear)*365))
	area := areas[rng.IntN(len(areas))]
	body := fmt.Sprintf("%s%s%03d", area, born.Format("20060102"), seq%1000)
	return Identity{ID: body + string(tally.ResidentCheck(body)), Name: name(rng)}
}

// personDays is how many birth dates NthPerson spreads persons over: from
// 1940 on, about 66 years, so everyone is an adult in 2026.
const personDays = 24000

// NthPerson returns the n-th (from 0) of up to 120 million distinct
// persons: n fixes the area, birth date and sequence number, so no two
// are alike however many are made; rng only picks the name.
func NthPerson(rng *rand.Rand, n int) Identity {
	return Identity{ID: nthPersonID(n), Name: name(rng)}
}

// nthPersonID is the identity number of NthPerson.
func nthPersonID(n int) string {
	seq, rest := n%1000, n/1000
	day, area := (rest*7919)%personDays, rest/personDays // 7919 is prime: neighbours are born years apart
	born := time.Date(1940, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, day)
	body := fmt.Sprintf("%s%s%03d", areas[area%len(areas)], born.Format("20060102"), seq)
	return body + string(tally.ResidentCheck(body))
}

func name(rng *rand.Rand) string {
	n := string(surnames[rng.IntN(len(surnames))]) + string(given[rng.IntN(len(given))])
	if rng.IntN(3) > 0 {
		n += string(given[rng.IntN(len(given))])
	}
	return n
}

// Shop name parts: what is sold, and a shop word.
var (
	wares     = []string{"鲜蔬", "水产", "鲜肉", "粮油", "果品", "豆制品", "干货", "禽蛋", "调料", "熟食"}
	shopWords = []string{"商行", "店", "铺", "经营部"}
)

// Shop returns a market stall with a valid Unified Social Credit Code:
// registering authority 9 (market regulator), type 2 (individual
// business), a Rongcheng area code, and a body whose last four characters
// are seq, so that shops of one run rarely repeat (NthShop never does).
func Shop(rng *rand.Rand, seq int) Identity {
	body := []byte("92" + areas[0])
	for i := 0; i < 9; i++ {
		body = append(body, tally.USCCAlphabet[rng.IntN(len(tally.USCCAlphabet))])
	}
	copy(body[len(body)-4:], fmt.Sprintf("%04d", seq%10000))
	check, _ := tally.USCCCheck(string(body))
	return Identity{ID: string(append(body, check)), Name: shopName(rng)}
}

// NthShop returns the n-th (from 0) of distinct shops: n is written into
// the code's body in base 10.
func NthShop(rng *rand.Rand, n int) Identity {
	return Identity{ID: nthShopID(n), Name: shopName(rng)}
}

// nthShopID is the credit code of NthShop.
func nthShopID(n int) string {
	body := fmt.Sprintf("92%s%09d", areas[0], n%1_000_000_000)
	check, _ := tally.USCCCheck(body)
	return body + string(check)
}

func shopName(rng *rand.Rand) string {
	return fmt.Sprintf("荣成%s%s%s", string(surnames[rng.IntN(len(surnames))]), wares[rng.IntN(len(wares))], shopWords[rng.IntN(len(shopWords))])
}
