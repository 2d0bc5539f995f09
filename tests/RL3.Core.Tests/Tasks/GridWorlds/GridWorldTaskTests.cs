using RL3.Core.Randomness;
using RL3.Core.Tasks;
using RL3.Core.Tasks.GridWorlds;

namespace RL3.Core.Tests.Tasks.GridWorlds;

public sealed class GridWorldTaskTests
{
    private const string Open =
        "     \n" +
        "     \n" +
        "  S  \n" +
        "     \n" +
        "     ";

    private static int[] MoveCounts(GridWorldTask task, int action, int n, out double meanReward)
    {
        var random = new RandomSource(21);
        var obs = new float[2];
        var counts = new int[5]; // stayed, N, E, S, W
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            task.Reset(random, obs);
            int r0 = task.Row, c0 = task.Column;
            total += task.Step(action, obs).Reward;
            int dr = task.Row - r0, dc = task.Column - c0;
            counts[(dr, dc) switch { (0, 0) => 0, (-1, 0) => 1, (0, 1) => 2, (1, 0) => 3, (0, -1) => 4, _ => throw new AssertionException("jump") }]++;
        }

        meanReward = total / n;
        return counts;
    }

    [Test]
    public void Step_North_MovesWithProbabilitiesPointEightPointOnePointOne()
    {
        const int n = 40_000;
        int[] counts = MoveCounts(new GridWorldTask(Open, 0.2), (int)GridWorldAction.North, n, out _);
        double se = Math.Sqrt(0.1 * 0.9 / n);
        Assert.Multiple(() =>
        {
            Assert.That(counts[1] / (double)n, Is.EqualTo(0.8).Within(5 * Math.Sqrt(0.16 / n)));
            Assert.That(counts[2] / (double)n, Is.EqualTo(0.1).Within(5 * se));
            Assert.That(counts[4] / (double)n, Is.EqualTo(0.1).Within(5 * se));
            Assert.That(counts[0] + counts[3], Is.Zero);
        });
    }

    [Test]
    public void Step_East_SlipsNorthOrSouth()
    {
        const int n = 20_000;
        int[] counts = MoveCounts(new GridWorldTask(Open, 0.2), (int)GridWorldAction.East, n, out _);
        double se = Math.Sqrt(0.1 * 0.9 / n);
        Assert.That(counts[2] / (double)n, Is.EqualTo(0.8).Within(5 * Math.Sqrt(0.16 / n)));
        Assert.That(counts[1] / (double)n, Is.EqualTo(0.1).Within(5 * se));
        Assert.That(counts[3] / (double)n, Is.EqualTo(0.1).Within(5 * se));
        Assert.That(counts[0] + counts[4], Is.Zero);
    }

    [Test]
    public void Step_TowardObstacle_StaysPutAndPaysCurrentTile()
    {
        const string layout =
            " O \n" +
            " S \n" +
            "   ";
        const int n = 20_000;
        int[] counts = MoveCounts(new GridWorldTask(layout, 0.2), (int)GridWorldAction.North, n, out double meanReward);
        Assert.That(counts[0] / (double)n, Is.EqualTo(0.8).Within(0.015));
        Assert.That(counts[1], Is.Zero);
        Assert.That(meanReward, Is.EqualTo(-1.0)); // staying on S and moving to ' ' both pay −1
    }

    [Test]
    public void Step_Walled_AlwaysStaysInPlace()
    {
        const string layout =
            "OOO\n" +
            "OSO\n" +
            "OOO";
        var task = new GridWorldTask(layout);
        var obs = new float[2];
        task.Reset(new RandomSource(1), obs);
        var start = (float[])obs.Clone();
        for (int i = 0; i < 200; i++)
        {
            var step = task.Step(i % 5, obs);
            Assert.That(step, Is.EqualTo(new TaskStep(-1, false, false)));
            Assert.That(obs, Is.EqualTo(start));
        }
    }

    [Test]
    public void Step_GridEdge_StaysInPlace()
    {
        var task = new GridWorldTask("S", 0.2);
        var obs = new float[2];
        task.Reset(new RandomSource(1), obs);
        Assert.That(obs, Is.EqualTo(new[] { 1f, 1f }));
        for (int a = 0; a < 5; a++)
        {
            Assert.That(task.Step(a, obs).Reward, Is.EqualTo(-1));
            Assert.That((task.Row, task.Column), Is.EqualTo((0, 0)));
        }
    }

    [Test]
    public void Step_Water_SlipsToEitherSideWithProbabilityHalf()
    {
        ITabularMdp mdp = new GridWorldTask(" W \nSWW\n   ", 0.2);
        var p = new double[9];
        mdp.GetTransitionProbabilities(4, (int)GridWorldAction.North, p); // centre water, moving north
        Assert.That(p, Is.EqualTo(new double[] { 0, 0, 0, 0.5, 0, 0.5, 0, 0, 0 }));
        Assert.That(mdp.ExpectedReward(4, 1, 5), Is.EqualTo(-2.0));
        Assert.That(mdp.ExpectedReward(4, 1, 3), Is.EqualTo(-1.0));
    }

    [TestCase('G', 100.0)]
    [TestCase('X', -100.0)]
    public void Step_EnteringAbsorbingTile_TerminatesWithItsReward(char tile, double reward)
    {
        var task = new GridWorldTask("S" + tile, slipProbability: 0);
        var obs = new float[2];
        task.Reset(new RandomSource(1), obs);
        Assert.That(task.Step((int)GridWorldAction.West, obs), Is.EqualTo(new TaskStep(-1, false, false)));
        var step = task.Step((int)GridWorldAction.East, obs);
        Assert.That(step, Is.EqualTo(new TaskStep(reward, true, false)));
        Assert.That(obs, Is.EqualTo(new[] { 1f, 1f }));
        Assert.That(task.IsAbsorbing(task.CurrentMdpState), Is.True);
        Assert.Throws<InvalidOperationException>(() => task.Step(0, obs));
        task.Reset(new RandomSource(1), obs);
        Assert.That(obs, Is.EqualTo(new[] { 1f, 0.5f }));
    }

    [Test]
    public void TabularMdp_RandomLayouts_MatchIndependentRules()
    {
        var distribution = new GridWorldDistribution(GridWorldOptions.Grid11x11);
        var random = new RandomSource(33);
        for (int i = 0; i < 3; i++)
        {
            var task = distribution.SampleGrid(random);
            var reference = new GridReference(task);
            var p = new double[reference.Cells];
            for (int s = 0; s < reference.Cells; s++)
            {
                for (int a = 0; a < 5; a++)
                {
                    task.GetTransitionProbabilities(s, a, p);
                    var expected = reference.Transition(s, a);
                    for (int s2 = 0; s2 < reference.Cells; s2++)
                    {
                        Assert.That(p[s2], Is.EqualTo(expected[s2]).Within(1e-12), $"T({s2}|{s},{a})");
                        if (expected[s2] > 0)
                        {
                            Assert.That(task.ExpectedReward(s, a, s2), Is.EqualTo(reference.Reward(s, s2)));
                        }
                    }
                }

                Assert.That(task.IsAbsorbing(s), Is.EqualTo(reference.Tile(s) is 'G' or 'X'));
            }
        }
    }

    [Test]
    public void Observation_IsOneBasedPositionOverSide()
    {
        var task = new GridWorldTask(Open, 0);
        var obs = new float[2];
        task.Reset(new RandomSource(1), obs);
        Assert.That(task.StateIndex, Is.EqualTo(-1));
        Assert.That(obs, Is.EqualTo(new[] { 3f / 5, 3f / 5 }));
        task.Step((int)GridWorldAction.North, obs);
        task.Step((int)GridWorldAction.West, obs);
        Assert.That(obs, Is.EqualTo(new[] { 2f / 5, 2f / 5 }));
        Assert.That((task.Row, task.Column, task.CurrentMdpState), Is.EqualTo((1, 1, 6)));
    }

    [Test]
    public void Render_ShowsTilesAndAgent()
    {
        var task = new GridWorldTask("S G\nO!X\nW  ", 0);
        var obs = new float[2];
        task.Reset(new RandomSource(1), obs);
        Assert.That(task.Render(), Is.EqualTo("@.G\nO!X\nW..\n"));
        task.Step((int)GridWorldAction.East, obs);
        Assert.That(task.Render(), Is.EqualTo("S@G\nO!X\nW..\n"));
        Assert.That(task.Layout, Is.EqualTo("S G\nO!X\nW  "));
    }

    [Test]
    public void Step_ActionOutOfRange_ThrowsAndLeavesStateUnchanged()
    {
        var task = new GridWorldTask(Open);
        var obs = new float[2];
        var random = new RandomSource(5);
        task.Reset(random, obs);
        task.Step((int)GridWorldAction.North, obs);
        var before = (float[])obs.Clone();
        var randomBefore = random.GetState();
        int state = task.CurrentMdpState;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => task.Step(5, obs));
        Assert.That(e!.ParamName, Is.EqualTo("action"));
        Assert.That(e.Message, Does.Contain("[0, 4]"));
        Assert.Throws<ArgumentOutOfRangeException>(() => task.Step(-1, obs));
        Assert.Throws<ArgumentException>(() => task.Step(0, new float[3]));
        Assert.That(obs, Is.EqualTo(before));
        Assert.That(task.CurrentMdpState, Is.EqualTo(state));
        Assert.That(random.GetState(), Is.EqualTo(randomBefore));
    }

    [TestCase("")]
    [TestCase("  \n S \n  ")]
    [TestCase(" S\nSS")]
    [TestCase("  \n  ")]
    [TestCase("S?")]
    public void Constructor_BadLayout_ThrowsArgumentException(string layout)
    {
        var e = Assert.Throws<ArgumentException>(() => _ = new GridWorldTask(layout));
        Assert.That(e!.ParamName, Is.EqualTo("layout"));
    }

    [TestCase(-0.1)]
    [TestCase(1.1)]
    [TestCase(double.NaN)]
    public void Constructor_BadSlip_ThrowsNamingParameter(double slip)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new GridWorldTask("S", slip));
        Assert.That(e!.ParamName, Is.EqualTo("slipProbability"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new GridWorldTask("S", 0.2, slip));
    }

    [Test]
    public void ResetAndStep_SteadyState_AllocateNothing()
    {
        var task = new GridWorldDistribution(GridWorldOptions.Grid13x13).Sample(new RandomSource(3));
        Assert.That(TaskTestHelpers.AllocatedBytesWhileStepping(task, 20_000), Is.Zero);
    }
}
