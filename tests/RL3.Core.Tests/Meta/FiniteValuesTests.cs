using RL3.Core.Meta;

namespace RL3.Core.Tests.Meta;

public sealed class FiniteValuesTests
{
    [Test]
    public void IndexOfNonFinite_EveryLengthAndPosition_FindsTheFirst()
    {
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            for (int length = 0; length <= 67; length++)
            {
                var values = Enumerable.Range(0, length).Select(i => (i % 3 == 0 ? -1f : 1f) * float.MaxValue / (i + 1)).ToArray();
                Assert.That(FiniteValues.IndexOfNonFinite(values), Is.EqualTo(-1), $"length {length}");
                for (int position = 0; position < length; position++)
                {
                    var copy = (float[])values.Clone();
                    copy[position] = bad;
                    if (position + 5 < length)
                    {
                        copy[position + 5] = float.NaN;
                    }

                    Assert.That(FiniteValues.IndexOfNonFinite(copy), Is.EqualTo(position), $"{bad} at {position} of {length}");
                }
            }
        }
    }

    [Test]
    public void IndexOfNonFinite_SubnormalsAndZeros_AreFinite() =>
        Assert.That(FiniteValues.IndexOfNonFinite([0f, -0f, float.Epsilon, -float.Epsilon, float.MinValue, float.MaxValue]), Is.EqualTo(-1));
}
