"""The word list behind ``reviews.suggest_passcode``: 256 short, common, distinct English words.

Chosen to be read out on the phone or typed from a note without doubt: lower case, 3-7 letters, spelt the
same in British and American English, no two that sound alike, nothing rude or sad. 256 words give exactly
8 bits per word drawn with :func:`secrets.choice`; ``tests/test_review_guard.py::test_the_word_list`` checks
the count and the rules.
"""

WORDS = tuple("""
acorn actor adult agent alarm album amber anchor angle ankle apple apron arch arena arrow atlas
attic autumn award bacon badge bagel baker banjo barn basil basket beach beacon bean bear beaver
bell bench berry bike bingo birch board boat bonus book boot bottle bowl brain branch bread brick
bridge brook brush bucket budget bugle bunny butter button cabin cable cactus camel camera candle
canoe canyon carpet carrot castle cedar cello chalk cherry chess chorus cider cinema circle clock
cloud clover coast cobalt cocoa comet cookie copper coral cotton cousin cradle crane crayon crown
daisy dancer delta desert dinner doctor donkey dragon drawer drum eagle easel echo elbow ember
engine falcon farmer fern fiddle field finch flag flute forest fossil fox garden garlic gecko giant
ginger globe goose grape gravel guitar hammer hazel helmet heron hill honey hopper island ivory
jacket jigsaw jungle kettle kitten koala ladder lagoon lantern lemon lily lime lizard locket lotus
magnet mango maple marble meadow melon meteor mitten monkey moose mosaic muffin museum napkin
nectar needle nest noodle oasis ocean olive onion orange orbit otter owl paddle panda paper parrot
pasta peach peanut pebble pencil pepper piano picnic pigeon pillow pilot pine planet plum pocket
pony poppy potato puffin pumpkin puzzle quilt rabbit radio rainbow raven ribbon river robin rocket
saddle salmon sandal saturn scarf school seal shovel silver sketch sled sofa spider spoon squash
statue stone sugar summer sunset swan table teapot tiger tomato topaz tower tulip turtle valley
velvet violin wagon walnut whale willow window winter wizard zebra zipper
""".split())
