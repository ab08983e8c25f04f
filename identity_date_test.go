package tally_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/tallycredit/tally"
)

// A resident ID's birth date is a real day exactly when time.Parse reads
// its eight digits back to themselves, and the ID says that day: every
// month and day number of leap, common and edge years.
func TestResidentIDBirthDateIsACalendarDay(t *testing.T) {
	for _, year := range []int{0, 1900, 1950, 1999, 2000, 2023, 2024, 2100, 9999} {
		for month := 0; month <= 13; month++ {
			for day := 0; day <= 32; day++ {
				digits := fmt.Sprintf("%04d%02d%02d", year, month, day)
				body := "110105" + digits + "123"
				id := body + string(tally.ResidentCheck(body))
				want, err := time.Parse("20060102", digits)
				real := err == nil && want.Format("20060102") == digits
				got, err := tally.ParseResidentID(id)
				if real != (err == nil) {
					t.Errorf("%s: err %v, want a real date: %v", id, err, real)
					continue
				}
				if real && (!got.Born.Equal(want) || got.Born.Location() != want.Location()) {
					t.Errorf("%s: born %v, want %v", id, got.Born, want)
				}
			}
		}
	}
}
