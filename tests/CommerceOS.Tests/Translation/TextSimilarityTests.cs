using CommerceOS.Engines.Translation;

namespace CommerceOS.Tests.Translation;

public sealed class TextSimilarityTests
{
    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("", "abc", 3)]
    [InlineData("same", "same", 0)]
    [InlineData("保温杯", "保冷杯", 1)]
    public void BoundedLevenshtein_MatchesTheTextbookDistance(string a, string b, int distance)
    {
        Assert.Equal(distance, TextSimilarity.BoundedLevenshtein(a, b, 10));
        Assert.Equal(distance, TextSimilarity.BoundedLevenshtein(b, a, 10));
    }

    [Fact]
    public void BoundedLevenshtein_StopsAtTheBound()
    {
        Assert.Equal(3, TextSimilarity.BoundedLevenshtein("abcdefgh", "hgfedcba", 2));
    }

    [Fact]
    public void Compute_IsOneMinusDistanceOverTheLongerText_AndZeroBelowTheMinimum()
    {
        Assert.Equal(1 - (3.0 / 7), TextSimilarity.Compute("kitten", "sitting"), 6);
        Assert.Equal(0, TextSimilarity.Compute("kitten", "sitting", minimum: 0.9));
        Assert.Equal(1, TextSimilarity.Compute("", ""));
    }
}
