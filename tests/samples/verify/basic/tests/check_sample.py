def test_ordinary_test_still_collected():
    assert True
