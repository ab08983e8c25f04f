package demo

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

// person is a synthetic resident: a valid identity number and a name.
type person struct {
	id   string
	name string
}

// newPerson returns a person born between the given years, with a valid
// check character; its sequence number makes the number unique.
func newPerson(rng *rand.Rand, seq int, fromYear, toYear int) person {
	born := time.Date(fromYear, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN((toYear-fromYear)*365))
	area := areas[rng.IntN(len(areas))]
	body := fmt.Sprintf("%s%s%03d", area, born.Format("20060102"), seq%1000)
	id := body + string(tally.ResidentCheck(body))
	name := string(surnames[rng.IntN(len(surnames))]) + string(given[rng.IntN(len(given))])
	if rng.IntN(3) > 0 {
		name += string(given[rng.IntN(len(given))])
	}
	return person{id: id, name: name}
}

// Shop name parts: what is sold, and a shop word.
var (
	wares     = []string{"鲜蔬", "水产", "鲜肉", "粮油", "果品", "豆制品", "干货", "禽蛋", "调料", "熟食"}
	shopWords = []string{"商行", "店", "铺", "经营部"}
)

// newShop returns a market stall with a valid Unified Social Credit Code:
// registering authority 9 (market regulator), type 2 (individual
// business), a Rongcheng area code, and a sequence-based body.
func newShop(rng *rand.Rand, seq int) person {
	const alphabet = tally.USCCAlphabet
	body := []byte("92" + areas[0])
	for i := 0; i < 9; i++ {
		body = append(body, alphabet[rng.IntN(len(alphabet))])
	}
	copy(body[len(body)-4:], fmt.Sprintf("%04d", seq%10000))
	check, _ := tally.USCCCheck(string(body))
	name := fmt.Sprintf("荣成%s%s%s", string(surnames[rng.IntN(len(surnames))]), wares[rng.IntN(len(wares))], shopWords[rng.IntN(len(shopWords))])
	return person{id: string(append(body, check)), name: name}
}
