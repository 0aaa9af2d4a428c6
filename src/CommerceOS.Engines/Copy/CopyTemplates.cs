using System.Collections.Frozen;
using CommerceOS.Core.Copy;

namespace CommerceOS.Engines.Copy;

/// <summary>
/// The local engine's phrasings: per language (English and Simplified Chinese, each written natively), per tone and per
/// slot, several variants that a stable hash picks from. Placeholders are single letters in braces and are filled with
/// product facts only: {n} name (title with brand), {s} short name, {p}/{P} a selling point (lower/upper first letter),
/// {a}/{A} audience, {c}/{C} category, {o} options, {l} a list of specifications, {k} an ordinal word.
/// Templates hold no digits and no claim term (<see cref="ProductFacts.ClaimTerms"/>): a figure or a claim can only come
/// from the facts, which is what keeps the copy true (a test scans every template for both).
/// </summary>
public static class CopyTemplates
{
    public const string English = "en";
    public const string Chinese = "zh-CN";

    public static class Slots
    {
        public const string PointLabel = "bullet.label.point";
        public const string Point = "bullet.point";
        public const string SpecsLabel = "bullet.label.specs";
        public const string Specs = "bullet.specs";
        public const string AudienceLabel = "bullet.label.audience";
        public const string Audience = "bullet.audience";
        public const string OptionsLabel = "bullet.label.options";
        public const string Options = "bullet.options";
        public const string CategoryLabel = "bullet.label.category";
        public const string Category = "bullet.category";
        public const string Intro = "desc.intro";
        public const string DescCategory = "desc.category";
        public const string Features = "desc.features";
        public const string DescSpecs = "desc.specs";
        public const string Close = "desc.close";
        public const string Caption = "caption";
        public const string CaptionShort = "caption.short";
        public const string LiveHook = "live.hook";
        public const string LiveIntro = "live.intro";
        public const string LiveIntroShort = "live.intro.short";
        public const string LivePoint = "live.point";
        public const string LiveSpecs = "live.specs";
        public const string LiveAudience = "live.audience";
        public const string LiveOptions = "live.options";
        public const string LiveCta = "live.cta";
    }

    /// <summary>Ordinal words that lead the live script's selling points, in speaking order (no digits).</summary>
    public static IReadOnlyList<string> Ordinals(string language) => language == Chinese ? ZhOrdinals : EnOrdinals;

    private static readonly string[] EnOrdinals = ["First up", "Next", "Then", "Also", "Plus", "On top of that", "And"];
    private static readonly string[] ZhOrdinals = ["首先", "其次", "再来", "还有", "另外", "此外", "同时"];

    private static readonly FrozenDictionary<string, string[]> Table = Build().ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every (language, tone, slot, template), for the template tests.</summary>
    public static IEnumerable<(string Language, string Tone, string Slot, string Template)> All =>
        Table.SelectMany(entry => entry.Value.Select(t =>
        {
            var parts = entry.Key.Split('|');
            return (parts[0], parts[1], parts[2], t);
        })).Concat(EnOrdinals.Select(o => (English, "", "live.ordinal", o))).Concat(ZhOrdinals.Select(o => (Chinese, "", "live.ordinal", o)));

    public static IReadOnlyList<string> Get(string language, string tone, string slot) =>
        Table.TryGetValue(Key(language, tone, slot), out var variants) ? variants : throw new ArgumentException($"No template {language}/{tone}/{slot}.", nameof(slot));

    private static string Key(string language, string tone, string slot) => language + "|" + tone + "|" + slot;

    private static IEnumerable<KeyValuePair<string, string[]>> Build()
    {
        // One row per slot: professional, luxurious, playful, technical, warm.
        IEnumerable<KeyValuePair<string, string[]>> T(string language, string slot, string[] professional, string[] luxurious, string[] playful, string[] technical, string[] warm)
        {
            yield return new(Key(language, CopyTones.Professional, slot), professional);
            yield return new(Key(language, CopyTones.Luxurious, slot), luxurious);
            yield return new(Key(language, CopyTones.Playful, slot), playful);
            yield return new(Key(language, CopyTones.Technical, slot), technical);
            yield return new(Key(language, CopyTones.Warm, slot), warm);
        }

        IEnumerable<KeyValuePair<string, string[]>> Same(string language, string slot, string[] all) => T(language, slot, all, all, all, all, all);

        const string en = English;
        const string zh = Chinese;
        return
        [
            // Amazon-style bullet labels (upper case, short) and bodies.
            .. T(en, Slots.PointLabel,
                ["KEY FEATURE", "PRACTICAL DESIGN", "WHY IT MATTERS", "EVERYDAY USE", "WORTH KNOWING"],
                ["REFINED DETAIL", "SIGNATURE TOUCH", "ELEGANT DESIGN", "QUIET LUXURY", "CRAFTED FEEL"],
                ["THE FUN PART", "GOOD NEWS", "LITTLE PERK", "BONUS POINT", "NICE TOUCH"],
                ["FEATURE", "FUNCTION", "DESIGN SPEC", "PERFORMANCE", "ENGINEERING"],
                ["MADE FOR YOU", "THOUGHTFUL DETAIL", "WITH CARE", "EVERYDAY COMFORT", "SMALL JOYS"]),
            .. T(en, Slots.Point,
                ["{P}.", "{P}, a practical detail worth noting.", "Designed with this in mind: {p}.", "{P}, so it works the way you need.", "One reason to choose it: {p}."],
                ["{P}, an exquisite detail.", "Savour the detail: {p}.", "{P}, for a quietly refined experience.", "{P}, finished with care.", "A mark of quality: {p}."],
                ["{P}. How cool is that?", "Here's the fun bit: {p}!", "{P}. Yes, really!", "{P}. Small thing, big smile!", "Guess what? {P}!"],
                ["{P}.", "Specification: {p}.", "Function: {p}.", "Design point: {p}.", "In use: {p}."],
                ["{P}, made with you in mind.", "We love this part: {p}.", "{P}, a small comfort for every day.", "{P}, for days that feel easier.", "Something you'll notice: {p}."]),
            .. T(en, Slots.SpecsLabel,
                ["SPECIFICATIONS", "PRODUCT DETAILS", "AT A GLANCE"],
                ["THE DETAILS", "FINE POINTS", "CONSIDERED DETAILS"],
                ["QUICK FACTS", "THE NITTY-GRITTY", "GOOD TO KNOW"],
                ["TECHNICAL DATA", "SPECIFICATIONS", "PARAMETERS"],
                ["GOOD TO KNOW", "HELPFUL DETAILS", "THE LITTLE THINGS"]),
            .. T(en, Slots.Specs,
                ["{l}.", "Key details: {l}.", "Specified as follows: {l}."],
                ["{l}, each detail considered.", "Refined in every detail: {l}.", "Composed with care: {l}."],
                ["{l}. Nice, right?", "The quick facts: {l}!", "Let's get specific: {l}!"],
                ["{l}.", "Parameters: {l}.", "Listed specifications: {l}."],
                ["{l}, so you know just what you're getting.", "Here's what you'll find: {l}.", "A few helpful details: {l}."]),
            .. T(en, Slots.AudienceLabel,
                ["WHO IT'S FOR", "IDEAL USERS", "RECOMMENDED FOR"],
                ["CURATED FOR", "MADE FOR", "DESIGNED FOR"],
                ["WHO'LL LOVE IT", "YOUR CREW", "FAN CLUB"],
                ["TARGET USERS", "INTENDED USERS", "USER GROUP"],
                ["MADE FOR", "FOR PEOPLE LIKE YOU", "WITH YOU IN MIND"]),
            .. T(en, Slots.Audience,
                ["Suited to {a}.", "Designed for {a}.", "A sensible choice for {a}."],
                ["Curated for {a}.", "An elegant choice for {a}.", "Created for {a} who appreciate fine detail."],
                ["{A}, this one's for you!", "Calling all {a}!", "Made for {a}, and we think you'll have a blast."],
                ["Intended users: {a}.", "Target user group: {a}.", "Designed for use by {a}."],
                ["Made with {a} in mind.", "A lovely choice for {a}.", "For {a}, with care."]),
            .. T(en, Slots.OptionsLabel,
                ["OPTIONS", "AVAILABLE VARIANTS", "CHOOSE YOURS"],
                ["YOUR SELECTION", "THE CHOICES", "SELECT YOURS"],
                ["PICK YOUR FAVE", "MIX AND MATCH", "YOUR PICK"],
                ["VARIANTS", "CONFIGURATIONS", "AVAILABLE OPTIONS"],
                ["FIND YOURS", "YOUR CHOICE", "PICK WHAT SUITS YOU"]),
            .. T(en, Slots.Options,
                ["Available options: {o}.", "Choose from {o}.", "Offered in {o}."],
                ["Offered in {o}.", "Select from {o}.", "Your choice of {o}."],
                ["Pick your favourite: {o}!", "Take your pick: {o}!", "Which one's you? {o}."],
                ["Variants: {o}.", "Available configurations: {o}.", "Options: {o}."],
                ["Choose the one that feels right: {o}.", "Find yours among {o}.", "Pick what suits you: {o}."]),
            .. T(en, Slots.CategoryLabel,
                ["CATEGORY", "PRODUCT TYPE", "WHERE IT FITS"],
                ["ITS PLACE", "CATEGORY", "IN YOUR COLLECTION"],
                ["WHAT IT IS", "THE LOWDOWN", "IN A NUTSHELL"],
                ["CLASSIFICATION", "CATEGORY", "PRODUCT CLASS"],
                ["WHERE IT BELONGS", "A HOME FOR IT", "WHAT IT IS"]),
            .. T(en, Slots.Category,
                ["Listed under {c}.", "Category: {c}.", "Found under {c}."],
                ["A refined addition to {c}.", "An elegant piece among {c}.", "A graceful presence in {c}."],
                ["Filed under: {c}!", "It's a {c} thing!", "Your new go-to in {c}."],
                ["Classification: {c}.", "Category: {c}.", "Product class: {c}."],
                ["A welcome addition to your {c}.", "Right at home among {c}.", "A friendly pick from {c}."]),

            // Descriptions.
            .. T(en, Slots.Intro,
                ["Meet the {n}.", "Introducing the {n}.", "The {n}, presented in detail."],
                ["Discover the {n}, where every detail is considered.", "Indulge in the {n}.", "The {n}: quiet refinement, thoughtfully composed."],
                ["Say hello to the {n}!", "Guess what just landed? The {n}!", "Ready for something fun? Meet the {n}!"],
                ["Product overview: {n}.", "Technical summary: {n}.", "Specification overview: {n}."],
                ["We're happy to share the {n} with you.", "Here is the {n}, chosen with you in mind.", "Say hello to the {n}, here to make your day a little brighter."]),
            .. T(en, Slots.DescCategory,
                ["It belongs to the {c} category.", "Category: {c}.", "Listed under {c}."],
                ["A graceful addition to {c}.", "Part of the {c} category.", "An elegant presence among {c}."],
                ["Filed under {c}!", "Category? {C}!", "Home base: {c}."],
                ["Category: {c}.", "Classification: {c}.", "Product class: {c}."],
                ["A welcome addition to your {c}.", "It sits right at home with {c}.", "You'll find it under {c}."]),
            .. T(en, Slots.Features,
                ["Key features:", "Highlights:", "What it offers:"],
                ["Exquisite details:", "Distinguished by:", "Signature details:"],
                ["Why you'll love it:", "The fun stuff:", "Cool things about it:"],
                ["Features:", "Functional overview:", "Feature list:"],
                ["Things we think you'll love:", "Little things that make a difference:", "Made with care:"]),
            .. T(en, Slots.DescSpecs,
                ["Specifications:", "Product details:", "Details:"],
                ["The details:", "Fine details:", "Composition and details:"],
                ["The nitty-gritty:", "Quick facts:", "Specs, because you asked:"],
                ["Technical specifications:", "Parameters:", "Specification sheet:"],
                ["Good to know:", "Helpful details:", "A few details:"]),
            .. T(en, Slots.Close,
                ["Add it to your cart today.", "Order yours today.", "Make it part of your routine."],
                ["A considered choice for discerning taste.", "Treat yourself to something special.", "Elegance, ready when you are."],
                ["Go on, treat yourself!", "Add to cart and have fun!", "What are you waiting for?"],
                ["See the specifications above for full details.", "Refer to the parameters above when choosing.", "All values as listed above."],
                ["We hope it brings a little joy to your day.", "Made to be enjoyed.", "We can't wait for you to try it."]),

            // Short-video captions (hashtags are added after).
            .. T(en, Slots.Caption,
                ["{S}: {p}.", "Meet the {s}. {P}.", "{P}. Discover the {s}."],
                ["The {s}. {P}, quietly refined.", "Indulge: the {s}. {P}.", "{S}, an exquisite detail: {p}."],
                ["POV: you just found the {s}! {P}!", "Obsessed with the {s}! {P}!", "Wait for it: {p}! Meet the {s}."],
                ["{S}. Feature: {p}.", "Spec check: {s}. {P}.", "{S}. {P}."],
                ["Made for you: the {s}. {P}.", "A little joy: the {s}. {P}.", "We love the {s}. {P}."]),
            .. T(en, Slots.CaptionShort,
                ["Meet the {s}.", "Discover the {s}.", "Introducing the {s}."],
                ["Indulge in the {s}.", "The {s}, quietly refined.", "Discover the {s}."],
                ["Obsessed with the {s}!", "POV: you just found the {s}!", "Say hi to the {s}!"],
                ["Spec check: {s}.", "{S}, at a glance.", "Product focus: {s}."],
                ["Made for you: the {s}.", "A little joy: the {s}.", "We love the {s}."]),

            // Live-stream script outline.
            .. T(en, Slots.LiveHook,
                ["Hello everyone, today we're presenting the {s}.", "Welcome, everyone. Let's take a look at the {s}.", "Good to see you all. Today's product is the {s}."],
                ["Welcome to tonight's showcase: the {s}.", "Good evening, and welcome. Tonight we unveil the {s}.", "Welcome, everyone. Let's savour the {s} together."],
                ["Hey hey hey! You are going to love the {s}!", "Okay everyone, get ready, it's the {s}!", "Hi friends! Guess what we have today? The {s}!"],
                ["Let's start with today's product: the {s}.", "Today's walkthrough: the {s}.", "Let's go through the {s} step by step."],
                ["Hi everyone, so glad you're here. Today we have the {s}.", "Welcome, friends! Let me show you the {s}.", "Thanks for joining us. Today I'd love to show you the {s}."]),
            .. Same(en, Slots.LiveIntro, ["This is the {n}, in the {c} category.", "Here it is: the {n}, listed under {c}.", "First, the basics: the {n}, from {c}."]),
            .. Same(en, Slots.LiveIntroShort, ["Here it is: the {n}.", "First, the basics: this is the {n}.", "Let me introduce the {n}."]),
            .. T(en, Slots.LivePoint,
                ["{k}: {p}.", "{k}, worth noting: {p}.", "{k}, a practical point: {p}."],
                ["{k}, a refined detail: {p}.", "{k}, savour this: {p}.", "{k}, quietly elegant: {p}."],
                ["{k}, check this out: {p}!", "{k}, you'll love this: {p}!", "{k}, how fun is this: {p}!"],
                ["{k}, specification: {p}.", "{k}, function: {p}.", "{k}, on the spec sheet: {p}."],
                ["{k}, something I really love: {p}.", "{k}, a little thing that helps: {p}.", "{k}, made with you in mind: {p}."]),
            .. T(en, Slots.LiveSpecs,
                ["Let's look at the details: {l}."], ["Consider the details: {l}."], ["Quick facts time: {l}!"], ["Parameters: {l}."], ["A few helpful details: {l}."]),
            .. T(en, Slots.LiveAudience,
                ["It's well suited to {a}."], ["Curated for {a}."], ["{A}, this one's for you!"], ["Intended users: {a}."], ["If you're among {a}, this one is made for you."]),
            .. T(en, Slots.LiveOptions,
                ["Options available: {o}."], ["Your choice of {o}."], ["Take your pick: {o}!"], ["Variants: {o}."], ["Pick the one that suits you: {o}."]),
            .. T(en, Slots.LiveCta,
                ["Tap the link below to order the {s}."], ["Make the {s} yours: tap the link below."], ["Go go go! Grab the {s} with the link below!"],
                ["Order the {s} via the link below."], ["If you like the {s}, tap the link below and bring it home."]),

            // Simplified Chinese, written natively (not translated from the English rows).
            .. T(zh, Slots.PointLabel,
                ["核心卖点", "实用设计", "产品亮点", "日常好用", "值得了解"],
                ["品质细节", "典雅设计", "精致细节", "质感之选", "匠心细节"],
                ["超赞亮点", "小惊喜", "宝藏细节", "额外福利", "好玩细节"],
                ["功能说明", "设计参数", "功能特性", "性能表现", "结构设计"],
                ["贴心设计", "暖心细节", "为你着想", "日常陪伴", "小确幸"]),
            .. T(zh, Slots.Point,
                ["{P}。", "{P}，实用细节一目了然。", "设计要点：{P}。", "{P}，用起来更顺手。", "选择它的理由：{P}。"],
                ["{P}，尽显精致格调。", "细品每一处：{P}。", "{P}，低调而考究。", "{P}，处处见用心。", "品质所在：{P}。"],
                ["{P}，是不是超酷！", "划重点：{P}！", "{P}，真的太香了！", "{P}，小细节大快乐！", "猜猜看？{P}！"],
                ["{P}。", "规格说明：{P}。", "功能：{P}。", "设计说明：{P}。", "使用表现：{P}。"],
                ["{P}，处处为你着想。", "我们很喜欢这一点：{P}。", "{P}，陪你度过每一天。", "{P}，让日子更轻松。", "你会注意到：{P}。"]),
            .. T(zh, Slots.SpecsLabel,
                ["产品参数", "规格详情", "参数一览"],
                ["品质细节", "精工细节", "细节之美"],
                ["干货来了", "速览参数", "小科普"],
                ["技术参数", "规格参数", "参数明细"],
                ["贴心提示", "小细节", "了解更多"]),
            .. T(zh, Slots.Specs,
                ["{l}。", "主要参数：{l}。", "具体规格：{l}。"],
                ["{l}，细节见真章。", "精致之处：{l}。", "考究细节：{l}。"],
                ["{l}，一看就懂！", "敲黑板：{l}！", "速览一下：{l}！"],
                ["{l}。", "参数：{l}。", "规格：{l}。"],
                ["{l}，让你买得明白。", "贴心告诉你：{l}。", "这些细节你会用得上：{l}。"]),
            .. T(zh, Slots.AudienceLabel,
                ["适用人群", "推荐人群", "适合谁用"],
                ["专属之选", "献给", "甄选人群"],
                ["谁会爱上它", "安利对象", "本命人群"],
                ["目标用户", "适用对象", "用户群体"],
                ["为你而来", "送给", "贴心之选"]),
            .. T(zh, Slots.Audience,
                ["适合{a}。", "推荐{a}使用。", "{a}的实用之选。"],
                ["专为{a}甄选。", "献给懂得品味的{a}。", "{a}的优雅之选。"],
                ["{a}快来看！", "{a}必入！", "{a}看过来，就是你！"],
                ["目标用户：{a}。", "适用对象：{a}。", "面向用户：{a}。"],
                ["为{a}用心准备。", "送给{a}的一份心意。", "{a}用起来会很安心。"]),
            .. T(zh, Slots.OptionsLabel,
                ["可选款式", "规格选择", "多款可选"],
                ["尊享之选", "款式甄选", "臻选款式"],
                ["挑你喜欢的", "任你挑", "选择困难症福音"],
                ["可选规格", "规格配置", "可选配置"],
                ["总有一款适合你", "随心挑选", "按需选择"]),
            .. T(zh, Slots.Options,
                ["可选：{o}。", "提供{o}。", "款式：{o}。"],
                ["{o}，静候您的甄选。", "可选{o}。", "尊享{o}。"],
                ["{o}，挑个你喜欢的！", "{o}，全都想要！", "快选：{o}！"],
                ["可选规格：{o}。", "配置：{o}。", "规格：{o}。"],
                ["{o}，总有一款适合你。", "可以挑选{o}。", "{o}，按你的喜好来选。"]),
            .. T(zh, Slots.CategoryLabel,
                ["所属类目", "产品类别", "类目"],
                ["品类", "臻品类别", "品类归属"],
                ["它是什么", "一句话介绍", "身份卡"],
                ["产品分类", "类目信息", "所属分类"],
                ["好物分类", "它的归属", "所属类别"]),
            .. T(zh, Slots.Category,
                ["所属类目：{c}。", "归属{c}类目。", "{c}类产品。"],
                ["{c}中的雅致之选。", "来自{c}的精致单品。", "{c}中的考究单品。"],
                ["{c}界的新宠！", "{c}的小可爱！", "{c}好物来啦！"],
                ["分类：{c}。", "类目：{c}。", "产品类别：{c}。"],
                ["{c}里的贴心好物。", "让{c}多一份温暖。", "{c}的温馨之选。"]),
            .. T(zh, Slots.Intro,
                ["为您介绍{n}。", "{n}，详情如下。", "认识一下{n}。"],
                ["臻品呈现：{n}，每一处细节都经过考量。", "邂逅{n}，感受低调的精致。", "{n}，优雅从容，细节考究。"],
                ["{n}来啦！", "快来看看{n}！", "哇，{n}上新啦！"],
                ["产品概述：{n}。", "技术概要：{n}。", "规格概述：{n}。"],
                ["很高兴为你介绍{n}。", "这是为你准备的{n}。", "把{n}带回家，让日子更温暖一些。"]),
            .. T(zh, Slots.DescCategory,
                ["所属类目：{c}。", "本品属于{c}类目。", "类目：{c}。"],
                ["{c}中的雅致之选。", "属于{c}品类。", "为{c}增添一份优雅。"],
                ["{c}界的新宠！", "它属于{c}哦！", "类目：{c}！"],
                ["分类：{c}。", "产品类别：{c}。", "类目：{c}。"],
                ["{c}里的贴心好物。", "它属于{c}。", "在{c}中找到它。"]),
            .. T(zh, Slots.Features,
                ["产品亮点：", "主要特点：", "核心卖点："],
                ["精致细节：", "品质亮点：", "典雅之处："],
                ["爱上它的理由：", "超赞亮点：", "好玩在哪："],
                ["功能特性：", "功能说明：", "特性列表："],
                ["你会喜欢的地方：", "贴心细节：", "用心之处："]),
            .. T(zh, Slots.DescSpecs,
                ["产品参数：", "规格参数：", "详细参数："],
                ["细节详情：", "精致参数：", "考究之处："],
                ["干货参数：", "速览参数：", "参数小科普："],
                ["技术参数：", "规格明细：", "参数表："],
                ["小贴士：", "贴心说明：", "你需要知道的："]),
            .. T(zh, Slots.Close,
                ["欢迎选购。", "现在就下单吧。", "期待为您服务。"],
                ["静候您的品鉴。", "为生活添一份优雅。", "值得细细品味。"],
                ["还等什么，快冲！", "心动不如行动！", "赶紧加购吧！"],
                ["以上参数供选购参考。", "详细参数见上文。", "请按参数选择合适规格。"],
                ["希望它为你的生活带来温暖。", "愿它陪伴你的每一天。", "期待它成为你的好伙伴。"]),
            .. T(zh, Slots.Caption,
                ["{s}：{p}。", "认识{s}，{p}。", "{p}，就选{s}。"],
                ["{s}，{p}，尽显精致。", "品味之选：{s}。{p}。", "{s}，优雅细节：{p}。"],
                ["谁懂啊！{s}，{p}！", "救命，{s}爱了爱了！{p}！", "挖到宝了！{s}，{p}！"],
                ["{s}。功能：{p}。", "参数党看过来：{s}，{p}。", "{s}，{p}。"],
                ["给你推荐{s}，{p}。", "温暖好物：{s}，{p}。", "{s}，{p}，用心陪伴你。"]),
            .. T(zh, Slots.CaptionShort,
                ["认识{s}。", "推荐{s}。", "为您介绍{s}。"],
                ["品味之选：{s}。", "臻品推荐：{s}。", "邂逅{s}。"],
                ["挖到宝了！{s}！", "谁懂啊！{s}！", "{s}，冲鸭！"],
                ["产品速览：{s}。", "参数党看过来：{s}。", "{s}，快速了解。"],
                ["给你推荐{s}。", "温暖好物：{s}。", "送你一份小美好：{s}。"]),
            .. T(zh, Slots.LiveHook,
                ["各位朋友大家好，今天为大家介绍{s}。", "欢迎来到直播间，今天的产品是{s}。", "大家好，我们一起来看看{s}。"],
                ["欢迎来到直播间，今晚与您一同品鉴{s}。", "晚上好，今晚为您呈现{s}。", "欢迎各位，今天我们细细品味{s}。"],
                ["家人们！今天这款{s}一定要看！", "哈喽哈喽！{s}来啦！", "宝宝们注意啦，{s}上车啦！"],
                ["直播开始，先看今天的产品：{s}。", "今天我们来逐项讲解{s}。", "下面进入{s}的讲解。"],
                ["欢迎大家来到直播间，今天给大家带来{s}。", "感谢大家来看直播，今天想和你分享{s}。", "亲爱的朋友们，今天给大家介绍{s}。"]),
            .. Same(zh, Slots.LiveIntro, ["这是{n}，属于{c}类目。", "先来认识一下：{n}，{c}。", "今天的主角是{n}，来自{c}。"]),
            .. Same(zh, Slots.LiveIntroShort, ["先来认识一下：{n}。", "今天的主角是{n}。", "这就是{n}。"]),
            .. T(zh, Slots.LivePoint,
                ["{k}，{p}。", "{k}，值得一提的是：{p}。", "{k}，实用之处在于：{p}。"],
                ["{k}，细节之处：{p}。", "{k}，请细品：{p}。", "{k}，低调考究：{p}。"],
                ["{k}，重点来了：{p}！", "{k}，家人们看这里：{p}！", "{k}，这个真的很戳我：{p}！"],
                ["{k}，功能说明：{p}。", "{k}，参数要点：{p}。", "{k}，逐项来看：{p}。"],
                ["{k}，我特别喜欢的一点：{p}。", "{k}，贴心的地方是：{p}。", "{k}，处处为你着想：{p}。"]),
            .. T(zh, Slots.LiveSpecs,
                ["参数方面：{l}。"], ["细节方面：{l}。"], ["干货时间：{l}！"], ["参数逐项看：{l}。"], ["给大家说说细节：{l}。"]),
            .. T(zh, Slots.LiveAudience,
                ["特别适合{a}。"], ["专为{a}甄选。"], ["{a}快来看！"], ["目标用户是{a}。"], ["{a}用起来会很贴心。"]),
            .. T(zh, Slots.LiveOptions,
                ["可选{o}。"], ["可选{o}，静候您的甄选。"], ["{o}，挑个你喜欢的！"], ["可选规格：{o}。"], ["{o}，总有一款适合你。"]),
            .. T(zh, Slots.LiveCta,
                ["喜欢{s}的朋友，点击下方链接下单。"], ["让{s}成为您的专属，点击下方链接即可拥有。"], ["冲冲冲！{s}赶紧点下方链接抢！"],
                ["需要{s}的朋友，请通过下方链接下单。"], ["喜欢{s}的话，点下方链接把它带回家吧。"]),
        ];
    }
}
