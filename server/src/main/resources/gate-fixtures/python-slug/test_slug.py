import unittest

from slug import slugify


class SlugTest(unittest.TestCase):
    def test_lower_case_words_joined_by_dashes(self):
        self.assertEqual(slugify("Hello, World 2"), "hello-world-2")
