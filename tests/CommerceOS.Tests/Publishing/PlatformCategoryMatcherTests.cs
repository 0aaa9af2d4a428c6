using CommerceOS.Core.Publishing;

namespace CommerceOS.Tests.Publishing;

public sealed class PlatformCategoryMatcherTests
{
    private static readonly CategoryNode[] Tree =
    [
        new("100", null, "Home & Living", IsLeaf: false),
        new("110", "100", "Kitchen & Dining", IsLeaf: false),
        new("111", "110", "Mugs", IsLeaf: true),
        new("112", "110", "Tea Cups & Saucers", IsLeaf: true),
        new("113", "110", "Water Bottles & Flasks", IsLeaf: true),
        new("119", "110", "Others", IsLeaf: true),
        new("200", null, "Phones & Accessories", IsLeaf: false),
        new("210", "200", "Phone Cases", IsLeaf: true),
        new("211", "200", "Cases", IsLeaf: true),
        new("212", "200", "Batteries", IsLeaf: true),
        new("300", null, "家居日用", IsLeaf: false),
        new("310", "300", "马克杯", IsLeaf: true),
        new("320", "300", "Sunglasses", IsLeaf: true, Usable: false),
    ];

    [Fact]
    public void TheLeafNamedInTheProductsCategory_ComesFirst_WithItsFullPath()
    {
        var suggestions = PlatformCategoryMatcher.Suggest(Tree, "Kitchen > Drinkware > Mugs", "Blue stoneware coffee mug 350 ml");

        var first = suggestions[0];
        Assert.Equal("111", first.Id);
        Assert.Equal("Home & Living > Kitchen & Dining > Mugs", first.Path);
        Assert.Equal("mugs", first.MatchedKeyword);
        // The leaf segment weighs 0.9 and its ancestor "Kitchen" also appears in the category.
        Assert.Equal(0.93, first.Score);
    }

    [Fact]
    public void PluralLeafNames_MatchSingularWords_AndEachTermOfANameCounts()
    {
        var bottles = PlatformCategoryMatcher.Suggest(Tree, null, "Insulated steel water bottle 750 ml");
        Assert.Equal("113", bottles[0].Id);
        Assert.Equal(0.53, bottles[0].Score);

        var saucer = PlatformCategoryMatcher.Suggest(Tree, "Saucer", "Porcelain saucer");
        Assert.Equal("112", saucer[0].Id);

        var battery = PlatformCategoryMatcher.Suggest(Tree, "Battery", null);
        Assert.Equal("212", battery[0].Id);
    }

    [Fact]
    public void ALongerName_BeatsAShorterOneOnTheSameText()
    {
        var suggestions = PlatformCategoryMatcher.Suggest(Tree, "Phone cases", "Slim phone case for iPhone 17");

        Assert.Equal(["210", "211"], suggestions.Take(2).Select(s => s.Id));
        Assert.True(suggestions[0].Score > suggestions[1].Score);
    }

    [Fact]
    public void ChineseNames_MatchAsSubstrings()
    {
        var suggestions = PlatformCategoryMatcher.Suggest(Tree, "杯子", "陶瓷马克杯 大容量 带盖");

        Assert.Equal("310", Assert.Single(suggestions).Id);
        Assert.Equal("家居日用 > 马克杯", suggestions[0].Path);
    }

    [Fact]
    public void CatchAllLeaves_UnusableLeaves_AndParents_AreNeverSuggested()
    {
        var suggestions = PlatformCategoryMatcher.Suggest(Tree, "Others > Kitchen & Dining > Sunglasses", "Other sunglasses");

        Assert.DoesNotContain(suggestions, s => s.Id is "119" or "320" or "110" or "100");
    }

    [Fact]
    public void NothingMatching_SuggestsNothing_AndTheCountIsBounded()
    {
        Assert.Empty(PlatformCategoryMatcher.Suggest(Tree, "Garden hose", "50 ft expandable hose"));

        var many = Enumerable.Range(0, 40).Select(i => new CategoryNode($"{i}", null, "Mugs", IsLeaf: true)).ToList();
        Assert.Equal(CategorySuggestions.MaxSuggestions, PlatformCategoryMatcher.Suggest(many, "mug", null).Count);
    }

    [Fact]
    public void AMalformedTree_WithACycle_OrAMissingParent_StillAnswers()
    {
        CategoryNode[] cyclic =
        [
            new("1", "2", "Kitchen", IsLeaf: false),
            new("2", "1", "Dining", IsLeaf: false),
            new("3", "1", "Mugs", IsLeaf: true),
            new("4", "404", "Mugs and cups", IsLeaf: true),
        ];

        var suggestions = PlatformCategoryMatcher.Suggest(cyclic, "Mugs", null);

        Assert.Equal(2, suggestions.Count);
        Assert.Contains(suggestions, s => s.Id == "3" && s.Path == "Dining > Kitchen > Mugs");
        Assert.Contains(suggestions, s => s.Id == "4" && s.Path == "Mugs and cups");
    }

    [Theory]
    [InlineData("mugs", "mug")]
    [InlineData("batteries", "battery")]
    [InlineData("boxes", "box")]
    [InlineData("glasses", "glass")]
    [InlineData("glass", "glass")]
    [InlineData("shoes", "shoe")]
    [InlineData("bus", "bus")]
    [InlineData("status", "status")]
    public void Singular(string word, string expected) => Assert.Equal(expected, PlatformCategoryMatcher.Singular(word));
}
