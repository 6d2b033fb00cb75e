/// A tiny sample in the Open Bandit Dataset's column layout (obp's `OpenBanditDataset` CSV: an unnamed
/// index column, timestamp, item_id, position, click, propensity_score, user_feature_*,
/// user-item_affinity_*), kept as Swift text so the test target needs no resource rule; tests write
/// it to a temporary file. Three items, positions 1–3, propensities 0.5 (item 0) and 0.25 (items 1, 2).
enum OPEFixtures {
    static let openBanditSample = """
        ,timestamp,item_id,position,click,propensity_score,user_feature_0,user-item_affinity_0,user-item_affinity_1,user-item_affinity_2
        0,2019-11-24 00:00:00.000000+00:00,0,1,0,0.5,81ce123cbb5bd8ce818f60fb3586bba5,0.0238,0.0544,0.037
        1,2019-11-24 00:00:01.000037+00:00,1,2,1,0.25,2d03db5543b14483e52d761760686b64,0.0604,0.0626,0.0066
        2,2019-11-24 00:00:02.000074+00:00,2,3,0,0.25,cef3390ed299c09874189c387777674a,0.0013,0.0837,0.0259
        3,2019-11-24 00:00:03.000111+00:00,1,1,1,0.25,81ce123cbb5bd8ce818f60fb3586bba5,0.0234,0.0996,0.047
        4,2019-11-24 00:00:04.000148+00:00,0,2,0,0.5,2d03db5543b14483e52d761760686b64,0.0836,0.0476,0.0639
        5,2019-11-24 00:00:05.000185+00:00,2,3,1,0.25,cef3390ed299c09874189c387777674a,0.0151,0.0635,0.0868
        6,2019-11-24 00:00:06.000222+00:00,0,1,1,0.5,81ce123cbb5bd8ce818f60fb3586bba5,0.0523,0.0741,0.0671
        7,2019-11-24 00:00:07.000259+00:00,1,2,0,0.25,2d03db5543b14483e52d761760686b64,0.0064,0.0758,0.0591
        8,2019-11-24 00:00:08.000296+00:00,2,3,0,0.25,cef3390ed299c09874189c387777674a,0.0301,0.0031,0.0866
        9,2019-11-24 00:00:09.000333+00:00,1,1,1,0.25,81ce123cbb5bd8ce818f60fb3586bba5,0.0473,0.0719,0.0879
        10,2019-11-24 00:00:10.000370+00:00,0,2,0,0.5,2d03db5543b14483e52d761760686b64,0.0714,0.0921,0.0395
        11,2019-11-24 00:00:11.000407+00:00,2,3,0,0.25,cef3390ed299c09874189c387777674a,0.0801,0.0445,0.0936
        """
}
