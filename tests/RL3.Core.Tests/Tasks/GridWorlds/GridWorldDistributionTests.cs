using RL3.Core.Randomness;
using RL3.Core.Tasks.GridWorlds;

namespace RL3.Core.Tests.Tasks.GridWorlds;

public sealed class GridWorldDistributionTests
{
    /// <summary>Structure every accepted grid has (docs/method.md §4).</summary>
    internal static void AssertStructure(GridWorldTask task, GridWorldOptions o)
    {
        int side = o.Side, centre = (side - 1) / 2;
        Assert.That((task.Rows, task.Columns), Is.EqualTo((side, side)));
        Assert.That((task.StartRow, task.StartColumn), Is.EqualTo((centre, centre)));
        int goals = 0, starts = 0, dangers = 0, obstacles = 0, water = 0;
        for (int r = 0; r < side; r++)
        {
            for (int c = 0; c < side; c++)
            {
                char tile = task.GetTile(r, c);
                switch (tile)
                {
                    case 'G':
                        goals++;
                        Assert.That(Math.Abs(r - centre) + Math.Abs(c - centre), Is.GreaterThanOrEqualTo(o.MinGoalDistance));
                        break;
                    case 'S':
                        starts++;
                        break;
                    case 'O':
                        obstacles++;
                        break;
                    case 'W':
                        water++;
                        break;
                    case 'X':
                        dangers++;
                        Assert.That(r, Is.InRange(1, side - 2));
                        Assert.That(c, Is.InRange(1, side - 2));
                        Assert.That(new[] { task.GetTile(r - 1, c), task.GetTile(r + 1, c), task.GetTile(r, c - 1), task.GetTile(r, c + 1) }, Has.All.EqualTo('!'));
                        break;
                    case '!':
                        bool nextToDanger = (r > 0 && task.GetTile(r - 1, c) == 'X') || (r < side - 1 && task.GetTile(r + 1, c) == 'X')
                            || (c > 0 && task.GetTile(r, c - 1) == 'X') || (c < side - 1 && task.GetTile(r, c + 1) == 'X');
                        Assert.That(nextToDanger, Is.True, $"warning at ({r},{c}) is next to no danger");
                        break;
                    default:
                        Assert.That(tile, Is.EqualTo(' '));
                        break;
                }
            }
        }

        Assert.That((starts, goals, dangers), Is.EqualTo((1, 1, o.DangerCount)));
        Assert.That(obstacles, Is.LessThanOrEqualTo(o.ObstacleSetCount * o.ObstacleLength));
        Assert.That(water, Is.LessThanOrEqualTo(o.WaterSetCount * o.WaterLength));
        Assert.That(task.SlipProbability, Is.EqualTo(o.SlipProbability));
        Assert.That(task.WaterSlipProbability, Is.EqualTo(1.0));
    }

    private static IEnumerable<TestCaseData> Variants()
    {
        yield return new TestCaseData(GridWorldOptions.Grid11x11, 6).SetArgDisplayNames("11x11");
        yield return new TestCaseData(GridWorldOptions.Grid13x13, 6).SetArgDisplayNames("13x13");
        yield return new TestCaseData(GridWorldOptions.Dense13x13, 2).SetArgDisplayNames("dense");
        yield return new TestCaseData(GridWorldOptions.Deterministic13x13, 2).SetArgDisplayNames("deterministic");
        yield return new TestCaseData(GridWorldOptions.Watery13x13, 2).SetArgDisplayNames("watery");
        yield return new TestCaseData(GridWorldOptions.Dangerous13x13, 2).SetArgDisplayNames("dangerous");
        yield return new TestCaseData(GridWorldOptions.Corner13x13, 2).SetArgDisplayNames("corner");
    }

    [TestCaseSource(nameof(Variants))]
    public void Sample_Variant_HasStructureAndAcceptedReturnRecomputedIndependently(GridWorldOptions options, int tasks)
    {
        var distribution = new GridWorldDistribution(options);
        var random = new RandomSource(123);
        for (int i = 0; i < tasks; i++)
        {
            var task = distribution.SampleGrid(random);
            AssertStructure(task, options);
            var reference = new GridReference(task);
            int start = task.StartRow * task.Columns + task.StartColumn;
            double optimal = reference.OptimalReturn(start, 100);
            Assert.That(optimal, Is.InRange(50.0, 100.0), task.Layout);
            Assert.That(task.OptimalReturn(100), Is.EqualTo(optimal).Within(1e-9));
        }
    }

    [Test]
    public void Options_NamedVariants_DifferFromThirteenByThirteenInOneParameter()
    {
        var b = GridWorldOptions.Grid13x13;
        Assert.Multiple(() =>
        {
            Assert.That(GridWorldOptions.Grid11x11, Is.EqualTo(b with { Side = 11 }));
            Assert.That(GridWorldOptions.Dense13x13, Is.EqualTo(b with { ObstacleLength = 4 }));
            Assert.That(GridWorldOptions.Deterministic13x13, Is.EqualTo(b with { SlipProbability = 0 }));
            Assert.That(GridWorldOptions.Watery13x13, Is.EqualTo(b with { WaterSetCount = 8 }));
            Assert.That(GridWorldOptions.Dangerous13x13, Is.EqualTo(b with { DangerCount = 4 }));
            Assert.That(GridWorldOptions.Corner13x13, Is.EqualTo(b with { MinGoalDistance = 12 }));
            Assert.That((b.Side, b.ObstacleSetCount, b.ObstacleLength, b.WaterSetCount, b.WaterLength, b.DangerCount, b.MinGoalDistance, b.SlipProbability),
                Is.EqualTo((13, 11, 3, 5, 2, 2, 8, 0.2)));
        });
    }

    [Test]
    public void Sample_SameSeed_SameGrid_DifferentSeed_DifferentGrid()
    {
        var d = new GridWorldDistribution(GridWorldOptions.Grid11x11);
        string a = d.SampleGrid(new RandomSource(77)).Layout;
        Assert.That(d.SampleGrid(new RandomSource(77)).Layout, Is.EqualTo(a));
        Assert.That(d.SampleGrid(new RandomSource(78)).Layout, Is.Not.EqualTo(a));
    }

    [Test]
    public void Properties_AreContinuousWithoutHorizon()
    {
        var d = new GridWorldDistribution(GridWorldOptions.Grid11x11);
        Assert.That((d.Name, d.ActionCount, d.ObservationSize, d.StateCount, d.TaskHorizon), Is.EqualTo(("grid-11x11", 5, 2, 0, 0)));
        Assert.That(new GridWorldDistribution(GridWorldOptions.Dense13x13, "grid-13x13-dense").Name, Is.EqualTo("grid-13x13-dense"));
    }

    [Test]
    public void Sample_AcceptanceImpossible_ThrowsAfterMaxAttempts()
    {
        var d = new GridWorldDistribution(GridWorldOptions.Grid11x11 with { MinAcceptedReturn = 1000, MaxAcceptedReturn = 2000, MaxAttempts = 5 });
        var e = Assert.Throws<InvalidOperationException>(() => d.Sample(new RandomSource(1)));
        Assert.That(e!.Message, Does.Contain("5 attempts"));
    }

    private static IEnumerable<TestCaseData> BadOptions()
    {
        var o = GridWorldOptions.Grid13x13;
        yield return new TestCaseData(o with { Side = 2 }, "options.Side");
        yield return new TestCaseData(o with { Side = 256 }, "options.Side");
        yield return new TestCaseData(o with { ObstacleSetCount = -1 }, "options.ObstacleSetCount");
        yield return new TestCaseData(o with { ObstacleLength = 0 }, "options.ObstacleLength");
        yield return new TestCaseData(o with { ObstacleLength = 8 }, "options.ObstacleLength");
        yield return new TestCaseData(o with { WaterSetCount = -1 }, "options.WaterSetCount");
        yield return new TestCaseData(o with { WaterLength = 8 }, "options.WaterLength");
        yield return new TestCaseData(o with { DangerCount = -1 }, "options.DangerCount");
        yield return new TestCaseData(o with { MinGoalDistance = 0 }, "options.MinGoalDistance");
        yield return new TestCaseData(o with { MinGoalDistance = 13 }, "options.MinGoalDistance");
        yield return new TestCaseData(o with { SlipProbability = double.NaN }, "options.SlipProbability");
        yield return new TestCaseData(o with { SlipProbability = 1.5 }, "options.SlipProbability");
        yield return new TestCaseData(o with { WaterSlipProbability = -0.5 }, "options.WaterSlipProbability");
        yield return new TestCaseData(o with { AcceptanceHorizon = -1 }, "options.AcceptanceHorizon");
        yield return new TestCaseData(o with { MinAcceptedReturn = double.NaN }, "options.MinAcceptedReturn");
        yield return new TestCaseData(o with { MaxAcceptedReturn = 10 }, "options.MaxAcceptedReturn");
        yield return new TestCaseData(o with { MaxAttempts = 0 }, "options.MaxAttempts");
    }

    [TestCaseSource(nameof(BadOptions))]
    public void Constructor_BadOption_ThrowsNamingParameterAndRange(GridWorldOptions options, string paramName)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new GridWorldDistribution(options));
        Assert.That(e!.ParamName, Is.EqualTo(paramName));
        Assert.That(e.Message, Does.Contain("must be"));
    }
}
