using RL3.Core.Randomness;
using RL3.Core.Tasks.GridWorlds;

namespace RL3.Core.Tests.Tasks.GridWorlds;

public sealed class GridWorldGeneratorTests
{
    private static List<(int R, int C)> Cells(char[] grid, int side, char tile)
    {
        var cells = new List<(int, int)>();
        for (int s = 0; s < grid.Length; s++)
        {
            if (grid[s] == tile)
            {
                cells.Add((s / side, s % side));
            }
        }

        return cells;
    }

    [TestCase('O', 3)]
    [TestCase('W', 2)]
    [TestCase('O', 6)]
    public void TryGenerate_OneSegment_IsStraightContiguousRunOfItsLength(char tile, int length)
    {
        var options = new GridWorldOptions
        {
            Side = 11,
            ObstacleSetCount = tile == 'O' ? 1 : 0,
            ObstacleLength = length,
            WaterSetCount = tile == 'W' ? 1 : 0,
            WaterLength = length,
            DangerCount = 0,
        };
        var random = new RandomSource(2);
        var grid = new char[121];
        int full = 0;
        for (int i = 0; i < 300; i++)
        {
            Assert.That(GridWorldGenerator.TryGenerate(options, random, grid), Is.True);
            var cells = Cells(grid, 11, tile);
            // S (centre) or G may overwrite one cell of the segment; the rest is one straight run.
            Assert.That(cells.Count, Is.InRange(length - 2, length));
            if (cells.Count == 0)
            {
                continue;
            }

            bool sameRow = cells.All(x => x.R == cells[0].R), sameColumn = cells.All(x => x.C == cells[0].C);
            Assert.That(sameRow || sameColumn, Is.True);
            var along = cells.Select(x => sameRow && cells.Count > 1 ? x.C : x.R).ToArray();
            Assert.That(along.Max() - along.Min(), Is.LessThan(length));
            if (cells.Count == length)
            {
                full++;
                Assert.That(along.Max() - along.Min(), Is.EqualTo(length - 1));
            }
        }

        Assert.That(full, Is.GreaterThan(250));
    }

    [Test]
    public void TryGenerate_Goal_UniformOverAllowedCells()
    {
        var options = new GridWorldOptions { Side = 11, ObstacleSetCount = 0, WaterSetCount = 0, DangerCount = 0, MinGoalDistance = 9 };
        var random = new RandomSource(3);
        var grid = new char[121];
        var counts = new Dictionary<(int, int), int>();
        const int n = 12_000;
        for (int i = 0; i < n; i++)
        {
            GridWorldGenerator.TryGenerate(options, random, grid);
            var goal = Cells(grid, 11, 'G').Single();
            Assert.That(Math.Abs(goal.R - 5) + Math.Abs(goal.C - 5), Is.GreaterThanOrEqualTo(9));
            counts[goal] = counts.GetValueOrDefault(goal) + 1;
        }

        // Cells at distance 9 or 10 from the centre of an 11x11 grid: 4·2 + 4 = 12.
        Assert.That(counts, Has.Count.EqualTo(12));
        Assert.That(counts.Values, Has.All.InRange(n / 12 * 0.85, n / 12 * 1.15));
    }

    [Test]
    public void TryGenerate_ImpossibleDangers_ReturnsFalse()
    {
        var options = new GridWorldOptions { Side = 3, ObstacleSetCount = 0, WaterSetCount = 0, DangerCount = 1, MinGoalDistance = 1 };
        // The only interior cell of a 3x3 grid is the start, so no danger can be placed.
        Assert.That(GridWorldGenerator.TryGenerate(options, new RandomSource(1), new char[9]), Is.False);
    }

    [Test]
    public void TryGenerate_Dangers_AreRingedByWarningsIncludingFormerObstacles()
    {
        var options = GridWorldOptions.Dangerous13x13;
        var random = new RandomSource(4);
        var grid = new char[169];
        for (int i = 0; i < 200; i++)
        {
            if (!GridWorldGenerator.TryGenerate(options, random, grid))
            {
                continue;
            }

            var dangers = Cells(grid, 13, 'X');
            Assert.That(dangers, Has.Count.EqualTo(4));
            foreach (var (r, c) in dangers)
            {
                Assert.That(new[] { grid[(r - 1) * 13 + c], grid[(r + 1) * 13 + c], grid[r * 13 + c - 1], grid[r * 13 + c + 1] }, Has.All.EqualTo('!'));
            }

            Assert.That(Cells(grid, 13, '!'), Has.Count.EqualTo(16));
        }
    }
}
